package dev.faascell.worker;

import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionSpec;

/** What it means when a Worker state's timer fires: how the state fails, and why. */
record Deadline(FailureKind kind, String reason) {
  /** A RUN's: the function's timeout. */
  static Deadline functionTimeout(FunctionSpec function) {
    return new Deadline(FailureKind.TIMEOUT, "the function ran longer than its timeout of "
        + function.timeout().toMillis() + " ms; its VM was killed");
  }
}
