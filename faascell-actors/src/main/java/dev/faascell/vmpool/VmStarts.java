package dev.faascell.vmpool;

import dev.faascell.invocation.Job;
import dev.faascell.model.FunctionSpec;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.worker.SnapshotOrder;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the pool makes VMs: a new VM gets a name never used before (a retried or fallen-back start never
 * reuses a directory), its memory is accounted, it joins the start line, and it is started only when
 * it gets a start slot, so that the start's timeouts count from there.
 */
final class VmStarts {
  private static final Logger log = LoggerFactory.getLogger(VmPool.class);

  private final VmControl control;
  private final LongSupplier nanoClock;
  private final VmPool.Policies policies;
  private final VmTable vms;
  private final MemoryAccount memory;
  private final StartBudget budget;
  private long nextVmNumber = 1;

  VmStarts(VmControl control, LongSupplier nanoClock, VmPool.Policies policies, VmTable vms, MemoryAccount memory,
           StartBudget budget) {
    this.control = control;
    this.nanoClock = nanoClock;
    this.policies = policies;
    this.vms = vms;
    this.memory = memory;
    this.budget = budget;
  }

  /**
   * A new VM of {@code function} in the start line: restored from {@code snapshot}, or booted (and
   * snapshotted after INIT as {@code order} says, else as the snapshot policy says).
   *
   * @param job   the invocation it starts for, or null (a pre-warm, an explicit snapshot)
   * @param first ahead of every waiting start (it replaces a start that held a slot)
   */
  PoolVm enqueue(FunctionSpec function, SnapshotRecord snapshot, Optional<SnapshotOrder> order, int restoreAttempt,
                 Job job, long estimateMb, boolean first) {
    Optional<SnapshotOrder> snapshotOrder = snapshot != null ? Optional.empty()
        : order.isPresent() ? order : policyOrder(function);
    PoolVm vm = new PoolVm("vm-" + nextVmNumber++, function, VmPool.keyOf(function), nanoClock.getAsLong(),
        snapshot, snapshotOrder, restoreAttempt, job, control);
    vms.add(vm);
    memory.add(vm.id, estimateMb, vm.createdAt);
    if (first) {
      budget.enqueueFirst(vm.id);
    } else {
      budget.enqueue(vm.id);
    }
    return vm;
  }

  /** A snapshot order if the policy wants one, counting the snapshots that are being made. */
  private Optional<SnapshotOrder> policyOrder(FunctionSpec function) {
    return policies.snapshots().snapshotAfterInit(function, vms.takingSnapshots(VmPool.keyOf(function)))
        ? Optional.of(new SnapshotOrder(policies.snapshotFormat(), Optional.empty())) : Optional.empty();
  }

  /** Starts every waiting VM a free slot allows. */
  void grantSlots() {
    for (Optional<String> next = budget.grantNext(); next.isPresent(); next = budget.grantNext()) {
      PoolVm vm = vms.get(next.get());
      Optional<Job> job = Optional.ofNullable(vm.firstJob).map(j -> j.slotGranted(nanoClock.getAsLong()));
      vm.firstJob = null;
      vm.state = vm.restores() ? VmState.RESTORING : VmState.BOOTING;
      if (log.isDebugEnabled()) {
        log.debug("event=vm-start vm={} function={} kind={} snapshot={} attempt={} accounted_mb={}", vm.id,
            vm.function.name(), vm.restores() ? "restore" : "cold", vm.restores() ? vm.snapshot.id()
                : vm.snapshotOrder.isPresent() ? "take" : "none", vm.restoreAttempt, memory.accountedMb(vm.id));
      }
      control.start(new VmControl.Start(vm.id, vm.function, vm.snapshot, vm.snapshotOrder, job));
    }
  }
}
