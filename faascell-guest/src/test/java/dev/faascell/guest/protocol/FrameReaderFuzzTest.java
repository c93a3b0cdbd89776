package dev.faascell.guest.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Drives the host's frame parser with hostile input: whatever a guest writes, reading it either yields
 * well-formed replies or fails with a protocol error or end of stream — never another exception, and
 * never a frame larger than the cap. Seeded, so a failure reproduces.
 */
class FrameReaderFuzzTest {
  private static final int CAP = 4096;
  private static final int CASES = 20_000;

  @Test
  void arbitraryBytesNeverBreakTheParser() {
    SplittableRandom random = new SplittableRandom(20261126);
    for (int i = 0; i < CASES; i++) {
      byte[] input = random.nextBoolean() ? randomBytes(random) : mutatedFrame(random);
      try {
        parseAll(input);
      } catch (AssertionError e) {
        throw new AssertionError("case " + i + ": " + e.getMessage(), e);
      }
    }
  }

  private static void parseAll(byte[] input) {
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

  private static byte[] randomBytes(SplittableRandom random) {
    byte[] bytes = new byte[random.nextInt(300)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A plausible header (the interesting case) with a random type, claimed length and body. */
  private static byte[] mutatedFrame(SplittableRandom random) {
    byte[] body = new byte[random.nextInt(200)];
    random.nextBytes(body);
    if (random.nextBoolean() && body.length >= 5) {
      body[0] = (byte) (1 + random.nextInt(18));   // a known field tag with a random length
    }
    int claimed = random.nextInt(10) == 0 ? random.nextInt() : random.nextInt(-5, 300);
    ByteBuffer frame = ByteBuffer.allocate(12 + body.length);
    frame.put((byte) 'F').put((byte) 'C').put((byte) 1).put((byte) random.nextInt(0x80, 0x87))
        .putInt(random.nextInt()).putInt(claimed).put(body);
    return frame.array();
  }
}
