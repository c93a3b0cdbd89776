package dev.faascell.policy.snapshot;

import dev.faascell.policy.spi.BuiltInPolicy;
import java.util.List;

/** The built-in snapshot policies, selected by faascell.snapshots.policy (dev.faascell.policy.PolicyRegistry). */
public final class SnapshotPolicies {
  public static final List<BuiltInPolicy<SnapshotPolicy>> BUILT_IN = List.of(
      new BuiltInPolicy<>("first-boot", "snapshot a function's first booted VM, so that later starts restore",
          List.of(), c -> SnapshotPolicy.firstBoot()),
      new BuiltInPolicy<>("never", "never snapshot: every start boots (a baseline)", List.of(),
          c -> SnapshotPolicy.never()));

  private SnapshotPolicies() {
  }
}
