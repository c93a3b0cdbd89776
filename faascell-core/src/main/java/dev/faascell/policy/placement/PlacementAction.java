package dev.faascell.policy.placement;

/** What a placement policy asks the SnapshotManager to do with one snapshot. */
public sealed interface PlacementAction {
  String snapshotId();

  /** Move the snapshot's files to another tier (running clones are unaffected). */
  record Move(String snapshotId, String toTier, String reason) implements PlacementAction {}

  /** Delete the snapshot; its function falls back to cold boots until a new one is made. */
  record Evict(String snapshotId, String reason) implements PlacementAction {}
}
