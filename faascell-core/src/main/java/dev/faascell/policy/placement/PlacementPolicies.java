package dev.faascell.policy.placement;

/** Placement policies by the name faascell.snapshots.placement gives them. */
public final class PlacementPolicies {
  private PlacementPolicies() {
  }

  public static PlacementPolicy named(String name) {
    if (name.equals("recency")) {
      return new RecencyPlacement();
    }
    throw new IllegalArgumentException("unknown snapshot placement policy '" + name + "'; known: recency");
  }
}
