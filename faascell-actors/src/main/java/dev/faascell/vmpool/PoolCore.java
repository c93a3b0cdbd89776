package dev.faascell.vmpool;

import dev.faascell.config.NodeCapacity;
import dev.faascell.invocation.Job;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.StartKind;
import dev.faascell.policy.scaling.Demand;
import dev.faascell.policy.scaling.ScalingPolicy;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.worker.SnapshotOrder;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's decisions, without an actor: which invocation gets which VM, when a VM starts and of what
 * kind, whom the keep-alive policy stops, and the memory, vCPU and start-slot accounting behind them.
 * The {@link VmPool} actor calls it from its one thread with the node's clock and does what it decides
 * through Workers; the simulator calls the very same code with a virtual clock and simulated VMs, so a
 * simulated policy is the node's policy, not a copy. Every method takes what happened and returns
 * whether the pool may now take what it could not before (the Dispatcher should offer again).
 */
public final class PoolCore {
  private static final Logger log = LoggerFactory.getLogger(VmPool.class);

  private final NodeCapacity capacity;
  private final VmPool.Policies policies;
  private final LongSupplier nanoClock;
  private final PoolMetrics metrics;
  private final StartBudget budget;
  private final MemoryAccount memory;
  private final StartHistory history;
  private final VmTable vms = new VmTable();
  private final VmStarts starts;
  private final PoolSnapshots snapshots;
  private final PoolKeepAlive keepAlive;
  /** An offer found no memory for a start: a new host reading may change that. */
  private boolean blockedOnMemory;
  /** Function version keys by spec, the most recent few thousand: a key hashes the whole spec, every offer asks. */
  private final Map<FunctionSpec, String> keys = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<FunctionSpec, String> eldest) {
      return size() > KEYS_KEPT;
    }
  };
  private static final int KEYS_KEPT = 4096;

  public PoolCore(NodeCapacity capacity, VmPool.Policies policies, VmControl control, LongSupplier nanoClock,
                  MeterRegistry registry) {
    this.capacity = capacity;
    this.policies = policies;
    this.nanoClock = nanoClock;
    this.budget = new StartBudget(capacity.startSlots());
    this.memory = new MemoryAccount(capacity.memoryMb(), capacity.reserveMb());
    this.metrics = new PoolMetrics(registry, capacity, policies);
    this.starts = new VmStarts(control, nanoClock, policies, vms, memory, budget);
    this.snapshots = new PoolSnapshots(control, nanoClock, policies.selection(), policies.prestartedPerSnapshot(),
        policies.prestartMemoryMb(), memory);
    this.history = new StartHistory(capacity);
    this.keepAlive = new PoolKeepAlive(policies.keepAlive(), capacity.maxVms(), vms, memory, budget, snapshots,
        history, starts, metrics);
  }

  /**
   * The pool's answer to an offer of waiting invocations, in the order given.
   *
   * @param waits some invocation chose to wait for a busy VM: ask again a little later even if nothing changes
   */
  public record Offered(VmPool.Answer answer, boolean waits) {}

  // ---- placing invocations -------------------------------------------------------------------

  /** Places what it can of {@code jobs}, in their order; what it does not take stays queued. */
  public Offered offer(List<Job> jobs) {
    long now = nanoClock.getAsLong();
    Placement placement = new Placement(now);
    Set<String> taken = new HashSet<>();
    Map<String, String> refused = new HashMap<>();
    for (Job job : jobs) {
      FunctionSpec function = job.invocation().function();
      if (capacity.bootEstimateMb(function.memoryMb()) > memory.budgetMb()) {
        refused.put(job.invocation().id(), "the function needs " + capacity.bootEstimateMb(function.memoryMb())
            + " MiB with VM overhead; the node has " + memory.budgetMb() + " MiB");
      } else if (place(job.assigned(now), placement)) {
        taken.add(job.invocation().id());
        keepAlive.invoked(function, now);
      }
    }
    starts.grantSlots();
    return new Offered(new VmPool.Answer(taken, refused), !placement.waitingFor.isEmpty());
  }

  /** Decisions within one offer: who waits for a busy VM, and whether new VMs are blocked. */
  private static final class Placement {
    final long now;
    final Map<String, Integer> waitingFor = new HashMap<>();
    boolean newVmsBlocked;

    Placement(long now) {
      this.now = now;
    }
  }

  /** Places one invocation: true if the pool took it. */
  private boolean place(Job job, Placement placement) {
    FunctionSpec function = job.invocation().function();
    String key = keys.computeIfAbsent(function, VmPool::keyOf);
    if (capacity.vcpus() - vms.heldVcpus() < function.vcpus()) {
      return false;
    }
    Optional<PoolVm> idle = vms.pickIdle(key, policies.selection(), placement.now);
    if (idle.isPresent()) {
      PoolVm vm = idle.get();
      vm.state = VmState.BUSY;
      vm.busySince = placement.now;
      vm.invocations++;
      vms.holdVcpus(vm);
      vm.run(job);
      return true;
    }
    if (placement.newVmsBlocked) {
      return false;   // the oldest invocation that needs a new VM waits; later ones may only take idle VMs
    }
    SnapshotRecord snapshot = snapshots.restorable(function);
    ScalingPolicy.Decision decision = policies.scaling().decide(demand(function, key, snapshot != null,
        placement.waitingFor.getOrDefault(key, 0), placement.now));
    if (!decision.start()) {
      placement.waitingFor.merge(key, 1, Integer::sum);
      metrics.scalingWait(job.invocation().id(), function.name(), decision.reason());
      return false;
    }
    if (!budget.canQueue()) {
      placement.newVmsBlocked = true;
      return false;
    }
    long estimateMb = history.estimateMb(function, snapshot != null);
    if (!keepAlive.makeRoom(estimateMb, placement.now)) {
      placement.newVmsBlocked = true;
      blockedOnMemory = true;
      return false;
    }
    metrics.scalingStart(function.name(), decision.reason());
    starts.enqueue(function, snapshot, Optional.empty(), 1, job, estimateMb, false);
    return true;
  }

  private Demand demand(FunctionSpec function, String key, boolean restore, int waitingAhead, long now) {
    VmTable.Busy busy = vms.busy(key, now);
    return new Demand(function.name(), busy.count(), busy.longestNanos(), waitingAhead, history.expectedRunNanos(key),
        history.expectedStartNanos(key, restore), budget.waiting(), budget.slots());
  }

  // ---- what the VMs did -----------------------------------------------------------------------

  /** A starting VM reached {@code state} (initialising, snapshotting). */
  public void starting(String vmId, VmState state) {
    PoolVm vm = vms.get(vmId);
    if (vm != null && vm.state.starting()) {
      vm.state = state;
    }
  }

  /** {@code vmId} started in {@code startNanos}; {@code running}: it runs the invocation it started for. */
  public boolean started(String vmId, StartKind kind, long startNanos, boolean running) {
    PoolVm vm = vms.get(vmId);
    if (vm == null) {
      return false;
    }
    budget.release(vm.id);
    history.started(vm.key, kind, startNanos);
    vm.readyCostNanos = startNanos;
    if (vm.state == VmState.STOPPING) {
      return false;
    }
    if (running) {
      vm.state = VmState.BUSY;
      vm.busySince = nanoClock.getAsLong();
    } else {
      becomeIdle(vm);
    }
    starts.grantSlots();
    return true;
  }

  /** {@code vmId} finished an invocation in {@code runNanos} and is idle. */
  public boolean idle(String vmId, long runNanos) {
    PoolVm vm = vms.get(vmId);
    if (vm == null) {
      return false;
    }
    history.ran(vm.key, runNanos);
    if (vm.state == VmState.STOPPING) {
      return false;
    }
    becomeIdle(vm);
    return true;
  }

  private void becomeIdle(PoolVm vm) {
    vms.releaseVcpus(vm);
    if (vm.retireWhenIdle) {
      vm.retire("its function was redeployed or deleted");
    } else {
      vm.state = VmState.IDLE;
      vm.idleSince = nanoClock.getAsLong();
    }
  }

  /** {@code vmId}'s restore failed: its slot, memory and vCPUs come back, and the VM is on its way out. */
  PoolVm restoreFailed(String vmId) {
    PoolVm vm = vms.get(vmId);
    if (vm != null) {
      budget.release(vm.id);
      memory.remove(vm.id);
      vms.releaseVcpus(vm);
      vm.state = VmState.STOPPING;
    }
    return vm;
  }

  /** {@code vmId} is gone, for whatever reason; what it held comes back. */
  public boolean gone(String vmId, String reason) {
    PoolVm vm = vms.get(vmId);
    if (vm == null) {
      return false;
    }
    vms.remove(vm);
    budget.release(vm.id);
    memory.remove(vm.id);
    log.debug("event=vm-gone vm={} function={} reason=\"{}\"", vm.id, vm.function.name(), reason);
    starts.grantSlots();
    return true;
  }

  // ---- snapshots, measurements, keep-alive, retirement ----------------------------------------

  /** The snapshot that now serves each function version ({@code name@version}). */
  public void snapshotsPublished(Map<String, SnapshotRecord> byFunction) {
    snapshots.published(byFunction);
  }

  /** The host's MemAvailable was read; true if an offer was blocked on memory and may now fit. */
  public boolean hostAvailable(long availableMb) {
    memory.hostAvailable(availableMb, nanoClock.getAsLong());
    boolean wasBlocked = blockedOnMemory;
    blockedOnMemory = false;
    return wasBlocked;
  }

  /** {@code vmId}'s memory footprint was measured. */
  public void footprint(String vmId, long pssMb) {
    PoolVm vm = vms.get(vmId);
    if (vm != null) {
      memory.measured(vm.id, pssMb);
      if (vm.restores()) {
        history.cloneMeasured(vm.key, pssMb);
      }
    }
  }

  /** Boots a fresh VM of {@code function} to snapshot it as {@code order} says; false if there is no room now. */
  public boolean takeSnapshot(FunctionSpec function, SnapshotOrder order) {
    long estimateMb = capacity.bootEstimateMb(function.memoryMb());
    if (!keepAlive.makeRoom(estimateMb, nanoClock.getAsLong())) {
      return false;
    }
    starts.enqueue(function, null, Optional.of(order), 1, null, estimateMb, false);
    starts.grantSlots();
    return true;
  }

  /** Stops the VMs of {@code function} that do not run {@code keepVersion} (empty: all of them), busy ones once idle. */
  public void retireFunction(FunctionName function, Optional<String> keepVersion) {
    for (PoolVm vm : new ArrayList<>(vms.all())) {
      boolean stale = vm.function.name().equals(function)
          && keepVersion.map(v -> !v.equals(vm.function.version())).orElse(true);
      if (stale && vm.state == VmState.IDLE) {
        vm.retire("its function was redeployed or deleted");
      } else if (stale) {
        vm.retireWhenIdle = true;
      }
    }
  }

  /** The keep-alive policy's periodic turn: stops expired VMs, pre-warms; true if it did either. */
  public boolean keepAliveTick() {
    return keepAlive.tick(nanoClock.getAsLong());
  }

  /** Grants the free start slots to waiting starts. */
  public void grantSlots() {
    starts.grantSlots();
  }

  public PoolStatus status() {
    long now = nanoClock.getAsLong();
    return new PoolStatus(vms.status(memory, now), capacity.maxVms(), memory.budgetMb(), memory.accountedMb(),
        capacity.reserveMb(), memory.hostAvailableMb(), capacity.vcpus(), vms.heldVcpus(), budget.slots(),
        budget.inUse(), budget.waiting());
  }

  /** Updates the pool's gauges (after a change; the simulator, which has no scrapes, never needs to). */
  public void publish() {
    metrics.publish(vms.all(), new PoolMetrics.Counts(memory.accountedMb(), vms.heldVcpus(), budget.inUse(),
        budget.waiting()));
  }

  // for the actor's failed-restore handling, which needs the same parts
  PoolSnapshots snapshots() {
    return snapshots;
  }

  VmStarts starts() {
    return starts;
  }

  StartHistory history() {
    return history;
  }

  PoolMetrics metrics() {
    return metrics;
  }
}
