package dev.faascell.guest.protocol;

/** The guest sent something the protocol does not allow: the host kills that VM. */
public final class ProtocolException extends Exception {
  public ProtocolException(String message) {
    super(message);
  }
}
