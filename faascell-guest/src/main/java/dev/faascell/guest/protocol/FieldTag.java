package dev.faascell.guest.protocol;

/** Field tags of the guest channel protocol (docs/PROTOCOL.md). */
public enum FieldTag {
  RUNTIME(1),
  HANDLER(2),
  CODE(3),
  CODE_FORMAT(4),
  CODE_FILENAME(5),
  ENV(6),
  PAYLOAD(7),
  EXEC_NS(8),
  MESSAGE(9),
  STDERR_TAIL(10),
  AGENT_VERSION(11),
  PROTOCOL_VERSION(12),
  UPTIME_NS(13),
  REALTIME_NS(14),
  ENTROPY(15),
  ERROR_KIND(16),
  FATAL(17),
  MEM_TOTAL_KB(18),
  FUNCTION_NAME(19),
  MEMORY_MB(20),
  TIMEOUT_MS(21),
  REQUEST_ID(22);

  private final int code;

  FieldTag(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
