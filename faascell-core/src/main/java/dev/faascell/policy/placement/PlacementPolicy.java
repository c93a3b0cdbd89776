package dev.faascell.policy.placement;

import java.util.List;
import java.util.Optional;

/**
 * Decides where snapshots live across the node's storage tiers. Pure: the SnapshotManager calls it
 * with the tiers' state and applies what it returns.
 */
public interface PlacementPolicy {
  /** The tier for a new snapshot of {@code bytes}; may be full: {@link #rebalance} makes room after. */
  String placeNew(long bytes, List<TierState> tiers);

  /** Moves and evictions, in order, that bring every tier within its capacity. */
  List<PlacementAction> rebalance(List<TierState> tiers, List<SnapshotUsage> snapshots);

  /** A tier to move a snapshot to right after it was restored from {@code usage.tier()}, if any. */
  Optional<String> afterRestore(SnapshotUsage usage, List<TierState> tiers);

  String name();
}
