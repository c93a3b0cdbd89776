package dev.faascell.policy.placement;

import dev.faascell.policy.spi.BuiltInPolicy;
import java.util.List;

/**
 * The built-in placement policies, selected by faascell.snapshots.placement.policy
 * (dev.faascell.policy.PolicyRegistry).
 */
public final class PlacementPolicies {
  public static final List<BuiltInPolicy<PlacementPolicy>> BUILT_IN = List.of(
      new BuiltInPolicy<>("recency", "new and restored snapshots in the fastest tier; the least recently used move"
          + " down when a tier is full", List.of(), c -> new RecencyPlacement()));

  private PlacementPolicies() {
  }
}
