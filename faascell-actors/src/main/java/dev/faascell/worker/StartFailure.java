package dev.faascell.worker;

/**
 * A start that did not give a working VM (thrown on the I/O executor, brought back as a message).
 *
 * @param snapshotBroken the snapshot itself is missing or damaged: no attempt of it can succeed
 */
final class StartFailure extends RuntimeException {
  private final boolean snapshotBroken;

  StartFailure(String message, boolean snapshotBroken) {
    super(message);
    this.snapshotBroken = snapshotBroken;
  }

  boolean snapshotBroken() {
    return snapshotBroken;
  }

  /** The message of what went wrong at the bottom of {@code error}'s causes. */
  static String reason(Throwable error) {
    return String.valueOf(rootCause(error).getMessage());
  }

  static boolean brokeTheSnapshot(Throwable error) {
    return rootCause(error) instanceof StartFailure failure && failure.snapshotBroken;
  }

  private static Throwable rootCause(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
