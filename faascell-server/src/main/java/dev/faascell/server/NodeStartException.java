package dev.faascell.server;

/** The node could not start; the message says which part and why. */
public final class NodeStartException extends Exception {
  public NodeStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
