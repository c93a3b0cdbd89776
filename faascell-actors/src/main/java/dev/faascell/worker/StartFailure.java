package dev.faascell.worker;

import dev.faascell.util.Failures;

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

  static boolean brokeTheSnapshot(Throwable error) {
    return Failures.rootCause(error) instanceof StartFailure failure && failure.snapshotBroken;
  }
}
