package dev.faascell.policy.selection;

import dev.faascell.policy.spi.BuiltInPolicy;
import dev.faascell.policy.spi.Knob;
import java.util.List;

/** The built-in VM selection policies, selected by faascell.vm-selection.policy (dev.faascell.policy.PolicyRegistry). */
public final class VmSelectionPolicies {
  private static final Knob RESTORE = new Knob("restore", "on",
      "restore from a function's snapshot when it has one (off: always boot, a baseline)");

  public static final List<BuiltInPolicy<VmSelectionPolicy>> BUILT_IN = List.of(
      new BuiltInPolicy<>("mru", "the most recently used idle VM, so that the others can expire", List.of(RESTORE),
          c -> VmSelectionPolicy.mostRecentlyUsed(c.getBoolean("restore"))),
      new BuiltInPolicy<>("lru", "the least recently used idle VM, spreading invocations over the idle VMs",
          List.of(RESTORE), c -> VmSelectionPolicy.leastRecentlyUsed(c.getBoolean("restore"))));

  private VmSelectionPolicies() {
  }
}
