package dev.faascell.policy.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecencyPlacementTest {
  private static final long MIB = 1 << 20;
  private final PlacementPolicy policy = new RecencyPlacement();

  private static SnapshotUsage snapshot(String id, String tier, long mib, long createdAt, long lastRestoredAt) {
    return new SnapshotUsage(id, "fn-" + id, tier, mib * MIB, createdAt, lastRestoredAt, lastRestoredAt > 0 ? 1 : 0);
  }

  @Test
  void newSnapshotsGoToTheFastestTier() {
    List<TierState> tiers = List.of(new TierState("disk", 1, 1000 * MIB, 0), new TierState("ram", 0, 100 * MIB, 90 * MIB));
    assertThat(policy.placeNew(50 * MIB, tiers)).isEqualTo("ram");
  }

  @Test
  void anOverfullTierDemotesItsLeastRecentlyUsedAndTheSlowestTierEvicts() {
    List<TierState> tiers = List.of(new TierState("ram", 0, 300 * MIB, 400 * MIB),
        new TierState("disk", 1, 250 * MIB, 200 * MIB));
    List<SnapshotUsage> snapshots = List.of(
        snapshot("r-restored", "ram", 100, 1, 50),      // created first, restored last: stays
        snapshot("r-old", "ram", 100, 4, 0),
        snapshot("r-new", "ram", 100, 30, 0),
        snapshot("r-newest", "ram", 100, 40, 0),
        snapshot("d-old", "disk", 100, 3, 0),
        snapshot("d-used", "disk", 100, 5, 45));
    assertThat(policy.rebalance(tiers, snapshots)).containsExactly(
        new PlacementAction.Move("r-old", "disk", "ram is over capacity; least recently used"),
        new PlacementAction.Evict("d-old", "disk is over capacity; least recently used"));
  }

  @Test
  void tiersWithinCapacityAreLeftAlone() {
    List<TierState> tiers = List.of(new TierState("ram", 0, 300 * MIB, 200 * MIB));
    assertThat(policy.rebalance(tiers, List.of(snapshot("a", "ram", 100, 1, 0), snapshot("b", "ram", 100, 2, 0))))
        .isEmpty();
  }

  @Test
  void aSnapshotRestoredFromDiskIsPromotedIfItFitsTheFastestTier() {
    List<TierState> tiers = List.of(new TierState("ram", 0, 300 * MIB, 300 * MIB), new TierState("disk", 1, 0, 0));
    assertThat(policy.afterRestore(snapshot("a", "disk", 100, 1, 9), tiers)).contains("ram");
    assertThat(policy.afterRestore(snapshot("b", "ram", 100, 1, 9), tiers)).isEqualTo(Optional.empty());
    assertThat(policy.afterRestore(snapshot("huge", "disk", 400, 1, 9), tiers)).isEmpty();
  }
}
