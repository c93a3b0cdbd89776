package dev.faascell.policy.keepalive;

import dev.faascell.model.FunctionName;

/** Seconds on the virtual clock the keep-alive tests run on, and idle VMs stamped with it. */
final class VirtualClock {
  static final long S = 1_000_000_000L;

  private VirtualClock() {
  }

  static long seconds(double seconds) {
    return (long) (seconds * S);
  }

  /** An idle VM of function {@code id}, idle since {@code idleSinceSeconds}, that took 1 s to start. */
  static IdleVm idleVm(String id, int memoryMb, double idleSinceSeconds) {
    return idleVm(id, memoryMb, idleSinceSeconds, 1.0);
  }

  static IdleVm idleVm(String id, int memoryMb, double idleSinceSeconds, double coldStartSeconds) {
    return new IdleVm("vm-" + id, FunctionName.of(id), memoryMb, seconds(idleSinceSeconds), 1, seconds(coldStartSeconds));
  }
}
