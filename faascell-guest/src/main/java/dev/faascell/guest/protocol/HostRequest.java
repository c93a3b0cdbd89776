package dev.faascell.guest.protocol;

import dev.faascell.guest.protocol.Frame.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the host asks of the guest agent; each becomes one frame. */
public sealed interface HostRequest {
  MessageType type();

  List<Field> fields();

  default Frame toFrame(int requestId) {
    return new Frame(type(), requestId, fields());
  }

  /** First message on a new connection; answered by READY. */
  record Hello() implements HostRequest {
    public MessageType type() {
      return MessageType.HELLO;
    }

    public List<Field> fields() {
      return List.of(Field.of(FieldTag.PROTOCOL_VERSION, Frame.VERSION));
    }
  }

  /**
   * Load a function's code; answered by OK or ERROR. The function's name, memory and timeout are what
   * a handler's context reports.
   */
  record Init(String runtime, String handler, String codeFormat, String codeFileName, byte[] code,
              Map<String, String> env, String functionName, int memoryMb, long timeoutMs) implements HostRequest {
    public MessageType type() {
      return MessageType.INIT;
    }

    public List<Field> fields() {
      List<Field> fields = new ArrayList<>(List.of(
          Field.of(FieldTag.RUNTIME, runtime), Field.of(FieldTag.HANDLER, handler),
          Field.of(FieldTag.CODE_FORMAT, codeFormat), Field.of(FieldTag.CODE_FILENAME, codeFileName),
          Field.of(FieldTag.CODE, code), Field.of(FieldTag.FUNCTION_NAME, functionName),
          Field.of(FieldTag.MEMORY_MB, memoryMb), Field.of(FieldTag.TIMEOUT_MS, timeoutMs)));
      env.forEach((key, value) -> fields.add(Field.of(FieldTag.ENV, key + "=" + value)));
      return fields;
    }
  }

  /**
   * Run the function once; answered by RESULT or ERROR. The request id is the handler's context's. The
   * first RUN after a restore carries {@code resume}: the guest applies it before the function runs, in
   * the same exchange (a guest that cannot fails the RUN with kind {@code resume}).
   */
  record Run(byte[] payload, String requestId, Optional<Resume> resume) implements HostRequest {
    public Run(byte[] payload, String requestId) {
      this(payload, requestId, Optional.empty());
    }

    public MessageType type() {
      return MessageType.RUN;
    }

    public List<Field> fields() {
      List<Field> fields = new ArrayList<>(List.of(Field.of(FieldTag.PAYLOAD, payload),
          Field.of(FieldTag.REQUEST_ID, requestId)));
      resume.ifPresent(r -> fields.addAll(r.fields()));
      return fields;
    }
  }

  /**
   * What a restored guest must learn before it serves: the host's wall clock (the guest's stopped when
   * the snapshot was taken) and, unless reseeding is off, fresh entropy (or every clone of one snapshot
   * continues the same random streams).
   */
  record Resume(long realtimeNanos, Optional<byte[]> entropy) {
    List<Field> fields() {
      List<Field> fields = new ArrayList<>(List.of(Field.of(FieldTag.REALTIME_NS, realtimeNanos)));
      entropy.ifPresent(bytes -> fields.add(Field.of(FieldTag.ENTROPY, bytes)));
      return fields;
    }
  }

  /** Health check; answered by PONG. */
  record Ping() implements HostRequest {
    public MessageType type() {
      return MessageType.PING;
    }

    public List<Field> fields() {
      return List.of();
    }
  }

  /** Set the guest's wall clock (after a restore); answered by OK. */
  record SetClock(long realtimeNanos) implements HostRequest {
    public MessageType type() {
      return MessageType.SET_CLOCK;
    }

    public List<Field> fields() {
      return List.of(Field.of(FieldTag.REALTIME_NS, realtimeNanos));
    }
  }

  /** Reseed the guest kernel's and runtime's random generators (after a restore); answered by OK. */
  record Reseed(byte[] entropy) implements HostRequest {
    public MessageType type() {
      return MessageType.RESEED;
    }

    public List<Field> fields() {
      return List.of(Field.of(FieldTag.ENTROPY, entropy));
    }
  }
}
