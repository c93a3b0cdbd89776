package dev.faascell.policy.placement;

/**
 * What a placement policy may know about one snapshot. Times are milliseconds since the epoch (they
 * survive restarts), {@code lastRestoredAt} is 0 if it was never restored.
 */
public record SnapshotUsage(String id, String function, String tier, long bytes, long createdAt, long lastRestoredAt,
                            long restoreCount) {
  /** When the snapshot was last useful: its last restore, or its creation. */
  public long lastUsedAt() {
    return Math.max(createdAt, lastRestoredAt);
  }
}
