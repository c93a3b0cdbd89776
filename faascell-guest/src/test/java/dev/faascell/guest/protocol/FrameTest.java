package dev.faascell.guest.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameTest {
  private static FrameReader guestReader(byte[] bytes, int max) {
    return FrameReader.ofGuestFrames(Channels.newChannel(new ByteArrayInputStream(bytes)), max);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  @Test
  void aGuestReplyRoundTrips() throws Exception {
    Frame result = new Frame(MessageType.RESULT, 7, List.of(Frame.Field.of(FieldTag.PAYLOAD, "out"),
        Frame.Field.of(FieldTag.EXEC_NS, 1234), Frame.Field.of(FieldTag.STDERR_TAIL, "log"), new Frame.Field(200, new byte[] {9})));
    var reply = (GuestReply.Result) GuestReply.parse(guestReader(bytes(result.encode()), 1024).read());
    assertThat(reply.requestId()).isEqualTo(7);
    assertThat(new String(reply.output(), StandardCharsets.UTF_8)).isEqualTo("out");
    assertThat(reply.execNanos()).isEqualTo(1234);
    assertThat(reply.stderrTail()).isEqualTo("log");
  }

  @Test
  void hostRequestsEncodeTheirFields() throws Exception {
    var init = new HostRequest.Init("python", "main.handle", "file", "main.py", new byte[] {1, 2}, Map.of("K", "V"),
        "fn", 128, 30_000);
    Frame frame = FrameReader.ofHostFrames(Channels.newChannel(new ByteArrayInputStream(bytes(init.toFrame(3).encode()))), 1024).read();
    assertThat(frame.type()).isEqualTo(MessageType.INIT);
    assertThat(frame.string(FieldTag.HANDLER)).hasValue("main.handle");
    assertThat(frame.string(FieldTag.ENV)).hasValue("K=V");
    assertThat(frame.bytes(FieldTag.CODE)).hasValueSatisfying(code -> assertThat(code).containsExactly(1, 2));
  }

  @Test
  void aHugeAnnouncedLengthIsRefusedBeforeAnythingIsAllocated() {
    byte[] header = ByteBuffer.allocate(12).put((byte) 'F').put((byte) 'C').put((byte) 1).put((byte) 0x83)
        .putInt(1).putInt(Integer.MAX_VALUE).array();
    assertThatThrownBy(() -> guestReader(header, 1 << 20).read()).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("exceeds the limit");
  }

  @Test
  void aGuestMayNotSendHostMessages() {
    byte[] hello = bytes(new HostRequest.Hello().toFrame(1).encode());
    assertThatThrownBy(() -> guestReader(hello, 1024).read()).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("unexpected message type");
  }

  @Test
  void aFieldLongerThanItsFrameIsRefused() {
    ByteBuffer frame = ByteBuffer.allocate(12 + 5).put((byte) 'F').put((byte) 'C').put((byte) 1).put((byte) 0x82)
        .putInt(1).putInt(5).put((byte) 7).putInt(1000);
    assertThatThrownBy(() -> guestReader(frame.array(), 1024).read()).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("claims 1000 bytes");
  }

  @Test
  void aHalfFrameIsAnEndOfStream() {
    byte[] whole = bytes(new Frame(MessageType.OK, 1, List.of(Frame.Field.of(FieldTag.MESSAGE, "abc"))).encode());
    byte[] half = java.util.Arrays.copyOf(whole, whole.length - 2);
    assertThatThrownBy(() -> guestReader(half, 1024).read()).isInstanceOf(EOFException.class);
  }

  @Test
  void aNumberFieldMustBeEightBytes() throws Exception {
    Frame pong = new Frame(MessageType.PONG, 1, List.of(new Frame.Field(FieldTag.UPTIME_NS.code(), new byte[] {1, 2})));
    Frame read = guestReader(bytes(pong.encode()), 1024).read();
    assertThatThrownBy(() -> GuestReply.parse(read)).isInstanceOf(ProtocolException.class).hasMessageContaining("8 bytes");
  }
}
