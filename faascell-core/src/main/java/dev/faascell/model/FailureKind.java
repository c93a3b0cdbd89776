package dev.faascell.model;

/** Why an invocation did not produce a result; each maps to one HTTP status. */
public enum FailureKind {
  /** The function's code raised, or its executable exited non-zero. The VM stays in service. */
  FUNCTION_ERROR(502),
  /** The function's code could not be loaded (import error, missing handler). */
  INIT_ERROR(502),
  /** The function ran past its timeout; its VM was killed. */
  TIMEOUT(504),
  /** The VM or its guest died, failed to boot, or broke the protocol; the VM was removed. */
  VM_FAILURE(502),
  /** The admission queue is full. */
  QUEUE_FULL(429),
  /** The invocation waited in the queue longer than the queue timeout. */
  QUEUE_TIMEOUT(503),
  /** The node cannot host a VM of this size at all. */
  NO_CAPACITY(503),
  /**
   * The host was too busy to start a VM in time: its restores timed out although the snapshot is sound
   * (it passed its full integrity check, so it is kept); retry later.
   */
  HOST_BUSY(503),
  /** The function was deleted or redeployed while the invocation waited. */
  FUNCTION_GONE(410),
  /** The node is shutting down. */
  SHUTTING_DOWN(503),
  /** The node stopped (crashed, was killed) while the invocation was in flight; reported at its next start. */
  LOST_IN_RESTART(503),
  /** A bug in FaaSCell. */
  INTERNAL(500);

  private final int httpStatus;

  FailureKind(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
