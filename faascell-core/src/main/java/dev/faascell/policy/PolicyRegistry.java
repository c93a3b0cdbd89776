package dev.faascell.policy;

import dev.faascell.policy.admission.QueuePolicies;
import dev.faascell.policy.admission.QueuePolicy;
import dev.faascell.policy.admission.QueuePolicyProvider;
import dev.faascell.policy.keepalive.KeepAlivePolicies;
import dev.faascell.policy.keepalive.KeepAlivePolicy;
import dev.faascell.policy.keepalive.KeepAlivePolicyProvider;
import dev.faascell.policy.placement.PlacementPolicies;
import dev.faascell.policy.placement.PlacementPolicy;
import dev.faascell.policy.placement.PlacementPolicyProvider;
import dev.faascell.policy.scaling.ScalingPolicies;
import dev.faascell.policy.scaling.ScalingPolicy;
import dev.faascell.policy.scaling.ScalingPolicyProvider;
import dev.faascell.policy.selection.VmSelectionPolicies;
import dev.faascell.policy.selection.VmSelectionPolicy;
import dev.faascell.policy.selection.VmSelectionPolicyProvider;
import dev.faascell.policy.snapshot.SnapshotPolicies;
import dev.faascell.policy.snapshot.SnapshotPolicy;
import dev.faascell.policy.snapshot.SnapshotPolicyProvider;
import java.util.List;

/**
 * Every policy family of the node, each found by name the same way: {@code KEEP_ALIVE.create(config)}
 * reads {@code faascell.keep-alive.policy} and makes that policy from its section, built-in or plugged in
 * through ServiceLoader (after Caffeine's simulator registry: one lookup, one error naming what is known,
 * one listing — {@code faascell policies}).
 */
public final class PolicyRegistry {
  public static final PolicyFamily<KeepAlivePolicy> KEEP_ALIVE = new PolicyFamily<>("keep-alive",
      "faascell.keep-alive", "how long idle VMs live, whom to evict for room, what to pre-warm",
      KeepAlivePolicyProvider.class, KeepAlivePolicies.BUILT_IN);
  public static final PolicyFamily<VmSelectionPolicy> VM_SELECTION = new PolicyFamily<>("vm-selection",
      "faascell.vm-selection", "which idle VM serves an invocation; restore or boot",
      VmSelectionPolicyProvider.class, VmSelectionPolicies.BUILT_IN);
  public static final PolicyFamily<ScalingPolicy> SCALING = new PolicyFamily<>("scaling",
      "faascell.scaling", "for an invocation with no idle VM: start a VM, or wait for a busy one",
      ScalingPolicyProvider.class, ScalingPolicies.BUILT_IN);
  public static final PolicyFamily<QueuePolicy> QUEUE = new PolicyFamily<>("queue",
      "faascell.dispatcher", "the order waiting invocations are offered to the pool",
      QueuePolicyProvider.class, QueuePolicies.BUILT_IN);
  public static final PolicyFamily<SnapshotPolicy> SNAPSHOT = new PolicyFamily<>("snapshot",
      "faascell.snapshots", "when to snapshot a function",
      SnapshotPolicyProvider.class, SnapshotPolicies.BUILT_IN);
  public static final PolicyFamily<PlacementPolicy> PLACEMENT = new PolicyFamily<>("placement",
      "faascell.snapshots.placement", "which storage tier a snapshot lives on",
      PlacementPolicyProvider.class, PlacementPolicies.BUILT_IN);

  /**
   * In the order an invocation meets them: it waits in the queue, is served by an idle VM or a new one,
   * whose snapshot is taken and placed, and the VM is kept alive after.
   */
  public static final List<PolicyFamily<?>> FAMILIES = List.of(QUEUE, VM_SELECTION, SCALING, SNAPSHOT, PLACEMENT,
      KEEP_ALIVE);

  private PolicyRegistry() {
  }
}
