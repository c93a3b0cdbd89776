package dev.faascell.policy.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The default: new and recently restored snapshots live in the fastest tier; when a tier is over
 * capacity its least recently used snapshots move one tier down, and the slowest tier evicts its least
 * recently used ones.
 */
public final class RecencyPlacement implements PlacementPolicy {
  @Override
  public String placeNew(long bytes, List<TierState> tiers) {
    return fastest(tiers).name();
  }

  @Override
  public List<PlacementAction> rebalance(List<TierState> tiers, List<SnapshotUsage> snapshots) {
    List<TierState> ordered = tiers.stream().sorted(Comparator.comparingInt(TierState::rank)).toList();
    Map<String, Long> used = new HashMap<>();
    Map<String, List<SnapshotUsage>> byTier = new HashMap<>();
    for (TierState tier : ordered) {
      used.put(tier.name(), tier.usedBytes());
      byTier.put(tier.name(), new ArrayList<>());
    }
    for (SnapshotUsage snapshot : snapshots) {
      byTier.computeIfAbsent(snapshot.tier(), t -> new ArrayList<>()).add(snapshot);
    }
    List<PlacementAction> actions = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      TierState tier = ordered.get(i);
      List<SnapshotUsage> oldestFirst = byTier.get(tier.name());
      oldestFirst.sort(Comparator.comparingLong(SnapshotUsage::lastUsedAt));
      while (used.get(tier.name()) > tier.capacityBytes() && !oldestFirst.isEmpty()) {
        SnapshotUsage victim = oldestFirst.remove(0);
        used.merge(tier.name(), -victim.bytes(), Long::sum);
        if (i + 1 < ordered.size()) {
          String lower = ordered.get(i + 1).name();
          actions.add(new PlacementAction.Move(victim.id(), lower, tier.name() + " is over capacity; least recently used"));
          used.merge(lower, victim.bytes(), Long::sum);
          byTier.get(lower).add(new SnapshotUsage(victim.id(), victim.function(), lower, victim.bytes(),
              victim.createdAt(), victim.lastRestoredAt(), victim.restoreCount()));
        } else {
          actions.add(new PlacementAction.Evict(victim.id(), tier.name() + " is over capacity; least recently used"));
        }
      }
    }
    return actions;
  }

  @Override
  public Optional<String> afterRestore(SnapshotUsage usage, List<TierState> tiers) {
    TierState fastest = fastest(tiers);
    boolean fits = usage.bytes() <= fastest.capacityBytes();
    return usage.tier().equals(fastest.name()) || !fits ? Optional.empty() : Optional.of(fastest.name());
  }

  private static TierState fastest(List<TierState> tiers) {
    return tiers.stream().min(Comparator.comparingInt(TierState::rank))
        .orElseThrow(() -> new IllegalStateException("no snapshot tiers configured"));
  }

  @Override
  public String name() {
    return "recency";
  }
}
