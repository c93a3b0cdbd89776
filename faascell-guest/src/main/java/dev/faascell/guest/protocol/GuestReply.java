package dev.faascell.guest.protocol;

import java.nio.charset.StandardCharsets;

/** What the guest agent answers; parsed from a frame that already passed the header checks. */
public sealed interface GuestReply {
  int requestId();

  record Ready(int requestId, long protocolVersion, String agentVersion, long uptimeNanos, long memTotalKb)
      implements GuestReply {}

  record Ok(int requestId) implements GuestReply {}

  record Result(int requestId, byte[] output, long execNanos, String stderrTail) implements GuestReply {}

  /**
   * The request failed. {@code kind} is one of init, function, runtime, protocol, system;
   * {@code fatal} means the guest can no longer serve the function.
   */
  record Error(int requestId, String kind, String message, String stderrTail, long execNanos, boolean fatal)
      implements GuestReply {}

  record Pong(int requestId, long uptimeNanos) implements GuestReply {}

  static GuestReply parse(Frame frame) throws ProtocolException {
    int id = frame.requestId();
    return switch (frame.type()) {
      case READY -> new Ready(id,
          frame.number(FieldTag.PROTOCOL_VERSION).orElseThrow(() -> missing("READY", FieldTag.PROTOCOL_VERSION)),
          frame.string(FieldTag.AGENT_VERSION).orElse("unknown"),
          frame.number(FieldTag.UPTIME_NS).orElse(0L),
          frame.number(FieldTag.MEM_TOTAL_KB).orElse(0L));
      case OK -> new Ok(id);
      case RESULT -> new Result(id,
          frame.bytes(FieldTag.PAYLOAD).orElseThrow(() -> missing("RESULT", FieldTag.PAYLOAD)),
          frame.number(FieldTag.EXEC_NS).orElse(0L),
          text(frame, FieldTag.STDERR_TAIL));
      case ERROR -> new Error(id,
          frame.string(FieldTag.ERROR_KIND).orElse("unknown"),
          frame.string(FieldTag.MESSAGE).orElse(""),
          text(frame, FieldTag.STDERR_TAIL),
          frame.number(FieldTag.EXEC_NS).orElse(0L),
          frame.number(FieldTag.FATAL).orElse(0L) != 0);
      case PONG -> new Pong(id, frame.number(FieldTag.UPTIME_NS).orElse(0L));
      default -> throw new ProtocolException("unexpected message type " + frame.type() + " from the guest");
    };
  }

  private static ProtocolException missing(String message, FieldTag tag) {
    return new ProtocolException(message + " without " + tag);
  }

  private static String text(Frame frame, FieldTag tag) {
    return frame.bytes(tag).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
  }
}
