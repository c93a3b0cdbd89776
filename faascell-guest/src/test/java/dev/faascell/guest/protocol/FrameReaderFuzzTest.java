package dev.faascell.guest.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Drives the host's frame parser with hostile input: whatever a guest writes, reading it either yields
 * well-formed replies or fails with a protocol error or end of stream — never another exception, and
 * never a frame larger than the cap.
 */
class FrameReaderFuzzTest {
  private static final int CAP = 4096;

  @Property(tries = 3000)
  void arbitraryBytesNeverBreakTheParser(@ForAll("hostile") byte[] input) {
    FrameReader reader = FrameReader.ofGuestFrames(Channels.newChannel(new ByteArrayInputStream(input)), CAP);
    for (int frames = 0; frames < 100; frames++) {
      try {
        Frame frame = reader.read();
        assertThat(frame.bodyLength()).isLessThanOrEqualTo(CAP);
        GuestReply.parse(frame);
      } catch (ProtocolException | EOFException expected) {
        return;
      } catch (Exception unexpected) {
        throw new AssertionError("unexpected " + unexpected, unexpected);
      }
    }
  }

  /** Random bytes, and mutations of valid frames (the interesting case: a plausible header). */
  @Provide
  Arbitrary<byte[]> hostile() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<byte[]> mutated = Arbitraries.integers().between(0x81, 0x86).flatMap(type ->
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200).flatMap(body ->
            Arbitraries.integers().between(-5, 300).map(claimed -> {
              ByteBuffer b = ByteBuffer.allocate(12 + body.length);
              b.put((byte) 'F').put((byte) 'C').put((byte) 1).put(type.byteValue()).putInt(1).putInt(claimed).put(body);
              return b.array();
            })));
    return Arbitraries.oneOf(random, mutated);
  }
}
