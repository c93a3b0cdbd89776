package dev.faascell.vmpool;

import dev.faascell.model.FunctionName;
import dev.faascell.policy.keepalive.IdleVm;
import dev.faascell.policy.selection.VmSelectionPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pool's VMs and the vCPUs they hold: the records the VmPool owns, and the questions it asks of
 * them when it places an invocation, evicts, pre-warms or reports.
 */
final class VmTable {
  private final Map<String, PoolVm> vms = new LinkedHashMap<>();
  /** The same VMs by function version, in the order they were added: placing asks only about its function's. */
  private final Map<String, List<PoolVm>> byKey = new HashMap<>();
  private int heldVcpus;

  PoolVm get(String vmId) {
    return vms.get(vmId);
  }

  Collection<PoolVm> all() {
    return vms.values();
  }

  void add(PoolVm vm) {
    vms.put(vm.id, vm);
    byKey.computeIfAbsent(vm.key, k -> new ArrayList<>()).add(vm);
    if (vm.firstJob != null) {
      holdVcpus(vm);
    }
  }

  void remove(PoolVm vm) {
    vms.remove(vm.id);
    byKey.computeIfPresent(vm.key, (key, ofKey) -> ofKey.remove(vm) && ofKey.isEmpty() ? null : ofKey);
    releaseVcpus(vm);
  }

  int heldVcpus() {
    return heldVcpus;
  }

  /** A VM with an invocation, or starting for one, holds its vCPUs; an idle one only its memory. */
  void holdVcpus(PoolVm vm) {
    if (!vm.holdsVcpus) {
      vm.holdsVcpus = true;
      heldVcpus += vm.function.vcpus();
    }
  }

  void releaseVcpus(PoolVm vm) {
    if (vm.holdsVcpus) {
      vm.holdsVcpus = false;
      heldVcpus -= vm.function.vcpus();
    }
  }

  /** VMs that are not being stopped. */
  int live() {
    return (int) vms.values().stream().filter(vm -> vm.state != VmState.STOPPING).count();
  }

  /** The idle VM of this function version the selection policy picks. */
  Optional<PoolVm> pickIdle(String key, VmSelectionPolicy selection, long now) {
    List<IdleVm> candidates = new ArrayList<>();
    for (PoolVm vm : byKey.getOrDefault(key, List.of())) {
      if (vm.state == VmState.IDLE) {
        candidates.add(idleVm(vm));
      }
    }
    return candidates.isEmpty() ? Optional.empty() : Optional.of(vms.get(selection.pick(candidates, now).vmId()));
  }

  List<IdleVm> idle() {
    List<IdleVm> idle = new ArrayList<>();
    for (PoolVm vm : vms.values()) {
      if (vm.state == VmState.IDLE) {
        idle.add(idleVm(vm));
      }
    }
    return idle;
  }

  private static IdleVm idleVm(PoolVm vm) {
    return new IdleVm(vm.id, vm.function.name(), vm.function.memoryMb(), vm.idleSince, vm.invocations,
        vm.readyCostNanos);
  }

  /** The busy VMs of a function version, and how long the one that started its invocation first has run. */
  record Busy(int count, long longestNanos) {}

  Busy busy(String key, long now) {
    int count = 0;
    long longest = 0;
    for (PoolVm vm : byKey.getOrDefault(key, List.of())) {
      if (vm.state == VmState.BUSY) {
        count++;
        longest = Math.max(longest, now - vm.busySince);
      }
    }
    return new Busy(count, longest);
  }

  /** VMs of this function version that will take a snapshot and have not yet. */
  int takingSnapshots(String key) {
    return (int) byKey.getOrDefault(key, List.of()).stream().filter(PoolVm::takingSnapshot).count();
  }

  /** The functions that have a VM that is not being stopped. */
  Set<FunctionName> present() {
    Set<FunctionName> present = new HashSet<>();
    vms.values().stream().filter(vm -> vm.state != VmState.STOPPING).forEach(vm -> present.add(vm.function.name()));
    return present;
  }

  /** Memory that VMs being stopped will give back soon. */
  long stoppingMb(MemoryAccount memory) {
    long mb = 0;
    for (PoolVm vm : vms.values()) {
      if (vm.state == VmState.STOPPING) {
        mb += memory.accountedMb(vm.id);
      }
    }
    return mb;
  }

  List<VmStatus> status(MemoryAccount memory, long now) {
    return vms.values().stream()
        .map(vm -> new VmStatus(vm.id, vm.function.name().value(), vm.function.version(), vm.state,
            vm.function.memoryMb(), memory.accountedMb(vm.id), (now - vm.createdAt) / 1_000_000,
            vm.state == VmState.IDLE ? (now - vm.idleSince) / 1_000_000 : 0, vm.invocations))
        .toList();
  }
}
