package dev.faascell.policy.snapshot;

import dev.faascell.model.FunctionSpec;

/** Decides whether a VM that has just booted and loaded its function is snapshotted. */
public interface SnapshotPolicy {
  /**
   * @param snapshots how many usable snapshots of this exact function version exist or are being made
   */
  boolean snapshotAfterInit(FunctionSpec function, int snapshots);

  String name();

  /** The default: snapshot a function's first booted VM, so that later starts restore instead. */
  static SnapshotPolicy firstBoot() {
    return new SnapshotPolicy() {
      public boolean snapshotAfterInit(FunctionSpec function, int snapshots) {
        return snapshots == 0;
      }

      public String name() {
        return "first-boot";
      }
    };
  }

  /** Never snapshot: every start is cold (a baseline for experiments). */
  static SnapshotPolicy never() {
    return new SnapshotPolicy() {
      public boolean snapshotAfterInit(FunctionSpec function, int snapshots) {
        return false;
      }

      public String name() {
        return "never";
      }
    };
  }
}
