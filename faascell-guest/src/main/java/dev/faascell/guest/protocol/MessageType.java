package dev.faascell.guest.protocol;

/** Message types of the guest channel protocol (docs/PROTOCOL.md). */
public enum MessageType {
  HELLO(0x01, true),
  INIT(0x02, true),
  RUN(0x03, true),
  PING(0x04, true),
  SET_CLOCK(0x05, true),
  RESEED(0x06, true),
  READY(0x81, false),
  OK(0x82, false),
  RESULT(0x83, false),
  ERROR(0x84, false),
  PONG(0x85, false);

  private final int code;
  private final boolean fromHost;

  MessageType(int code, boolean fromHost) {
    this.code = code;
    this.fromHost = fromHost;
  }

  public int code() {
    return code;
  }

  public boolean fromHost() {
    return fromHost;
  }

  /** The type with this code, or null. */
  public static MessageType byCode(int code) {
    for (MessageType type : values()) {
      if (type.code == code) {
        return type;
      }
    }
    return null;
  }
}
