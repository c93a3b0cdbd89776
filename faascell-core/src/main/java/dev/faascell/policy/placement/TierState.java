package dev.faascell.policy.placement;

/**
 * One storage tier as a placement policy sees it. {@code rank} orders tiers from fastest (0, e.g.
 * RAM under /dev/shm) to slowest (a disk directory).
 */
public record TierState(String name, int rank, long capacityBytes, long usedBytes) {
  public long freeBytes() {
    return capacityBytes - usedBytes;
  }
}
