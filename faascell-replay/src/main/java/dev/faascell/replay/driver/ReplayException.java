package dev.faascell.replay.driver;

/** The replay cannot go on: the node is unreachable or refused a function. The message says which. */
public final class ReplayException extends RuntimeException {
  public ReplayException(String message) {
    super(message);
  }

  public ReplayException(String message, Throwable cause) {
    super(message, cause);
  }
}
