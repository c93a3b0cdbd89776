package dev.faascell.vmpool;

import dev.faascell.config.NodeCapacity;
import dev.faascell.invocation.Job;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.StartKind;
import dev.faascell.perf.PerfManager;
import dev.faascell.policy.keepalive.KeepAlivePolicy;
import dev.faascell.policy.scaling.Demand;
import dev.faascell.policy.scaling.ScalingPolicy;
import dev.faascell.policy.selection.VmSelectionPolicy;
import dev.faascell.policy.snapshot.SnapshotPolicy;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.snapshot.SnapshotOutcome;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.worker.SnapshotOrder;
import dev.faascell.worker.Worker;
import dev.faascell.worker.WorkerContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's state and its one owner (after OpenWhisk's ContainerPool): every VM, the function it
 * serves, what it is doing, the node's memory and vCPU accounting and its start slots. The Dispatcher
 * offers it the waiting invocations in its queue's order; the pool decides for each, in that order: an
 * idle VM of the function (warm); or, when the scaling policy says a new VM beats waiting for a busy
 * one and the node has room, a VM of its own — restored from the function's snapshot, else booted —
 * whose start waits for a start slot. What it does not take stays in the Dispatcher's queue, offered
 * again when the pool {@link Changed}. A VM serves one function, one invocation at a time.
 */
public final class VmPool extends AbstractBehavior<VmPool.Command> {
  private static final Logger log = LoggerFactory.getLogger(VmPool.class);
  private static final String RECONSIDER = "reconsider";

  /** The VmPool's protocol. */
  public sealed interface Command {}

  /** The Dispatcher, which hears the pool's answers and changes. */
  public record Attach(ActorRef<Event> dispatcher) implements Command {}

  /** Waiting invocations, in the order the pool should consider them; answered with an {@link Answer}. */
  public record Offer(List<Job> jobs) implements Command {
    public Offer {
      jobs = List.copyOf(jobs);
    }
  }

  /** Stop the VMs of {@code function} that do not run {@code keepVersion} (empty: all of them). */
  public record RetireFunction(FunctionName function, Optional<String> keepVersion) implements Command {}

  public record GetStatus(ActorRef<PoolStatus> replyTo) implements Command {}

  /** Boot a fresh VM of {@code function} and snapshot it (POST /v1/functions/{name}/snapshot). */
  public record TakeSnapshot(FunctionSpec function, SnapshotFormat format, ActorRef<SnapshotOutcome> replyTo)
      implements Command {}

  record FromWorker(Worker.Event event) implements Command {}

  private record FromSnapshots(SnapshotManager.Published published) implements Command {}

  private record FromPerf(PerfManager.Measured measured) implements Command {}

  private record KeepAliveTick() implements Command {}

  /** A snapshot whose restores kept failing had its full integrity check; {@code problem} if it failed it. */
  record SnapshotChecked(FunctionSpec function, SnapshotRecord snapshot, Job job, String reason,
                                 Optional<String> problem) implements Command {}

  /** Invocations chose to wait for busy VMs: time changes what the scaling policy expects, so ask again. */
  private record Reconsider() implements Command {}

  /** How soon a decision to wait for a busy VM is taken again when nothing else changes. */
  static final Duration RECONSIDER_AFTER = Duration.ofMillis(100);

  /** What the Dispatcher hears from the pool. */
  public sealed interface Event {}

  /**
   * The pool's answer to an {@link Offer}: the invocations it took (each now has a VM or a VM start of
   * its own) and those no VM of this node can ever hold; the others stay queued.
   */
  public record Answer(Set<String> taken, Map<String, String> refused) implements Event {
    public Answer {
      taken = Set.copyOf(taken);
      refused = Map.copyOf(refused);
    }
  }

  /** The pool may now take what it could not before (a VM freed, a start ended, memory came back). */
  public record Changed() implements Event {}

  /**
   * The pool's policies.
   *
   * @param prestartedPerSnapshot QEMUs kept ready for each snapshot, each accounted at {@code prestartMemoryMb}
   */
  public record Policies(KeepAlivePolicy keepAlive, Duration keepAliveCheck, VmSelectionPolicy selection,
                         ScalingPolicy scaling, SnapshotPolicy snapshots, SnapshotFormat snapshotFormat,
                         int prestartedPerSnapshot, int prestartMemoryMb, int restoreRetries) {}

  private final TimerScheduler<Command> timers;
  private final NodeCapacity capacity;
  private final Policies policies;
  private final WorkerContext workers;
  private final PoolMetrics metrics;
  private final StartBudget budget;
  private final MemoryAccount memory;
  private final StartHistory history;
  private final VmTable vms = new VmTable();
  private final VmStarts starts;
  private final PoolSnapshots snapshots;
  private final FailedRestores restores;
  private final PoolKeepAlive keepAlive;
  private ActorRef<Event> dispatcher;
  /** An offer found no memory for a start: a new host reading may change that. */
  private boolean blockedOnMemory;

  public static Behavior<Command> create(NodeCapacity capacity, Policies policies, WorkerContext workers) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new KeepAliveTick(), policies.keepAliveCheck());
      workers.snapshots().tell(new SnapshotManager.Attach(
          ctx.messageAdapter(SnapshotManager.Published.class, FromSnapshots::new)));
      workers.perf().tell(new PerfManager.Subscribe(ctx.messageAdapter(PerfManager.Measured.class, FromPerf::new)));
      return new VmPool(ctx, timers, capacity, policies, workers);
    }));
  }

  private VmPool(ActorContext<Command> ctx, TimerScheduler<Command> timers, NodeCapacity capacity, Policies policies,
                 WorkerContext workers) {
    super(ctx);
    this.timers = timers;
    this.capacity = capacity;
    this.policies = policies;
    this.workers = workers;
    this.budget = new StartBudget(capacity.startSlots());
    this.memory = new MemoryAccount(capacity.memoryMb(), capacity.reserveMb());
    this.metrics = new PoolMetrics(workers.metrics(), capacity, policies);
    this.starts = new VmStarts(ctx, workers, policies, vms, memory, budget,
        ctx.messageAdapter(Worker.Event.class, FromWorker::new), FromWorker::new);
    this.snapshots = new PoolSnapshots(workers, policies.selection(), policies.prestartedPerSnapshot(),
        policies.prestartMemoryMb(), memory);
    this.history = new StartHistory(capacity);
    this.keepAlive = new PoolKeepAlive(policies.keepAlive(), capacity.maxVms(), vms, memory, budget, snapshots,
        history, starts, metrics);
    this.restores = new FailedRestores(ctx, workers.sink(), policies.restoreRetries(), snapshots, starts, history,
        metrics);
  }

  public static String keyOf(FunctionSpec function) {
    return function.name().value() + "@" + function.version();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Attach.class, msg -> {
          dispatcher = msg.dispatcher();
          return this;
        })
        .onMessage(Offer.class, this::onOffer)
        .onMessage(FromWorker.class, msg -> onWorkerEvent(msg.event()))
        .onMessage(FromSnapshots.class, msg -> {
          snapshots.published(msg.published().byFunction());
          publish();   // the QEMUs kept ready for new snapshots are accounted memory
          return this;
        })
        .onMessage(FromPerf.class, msg -> onMeasured(msg.measured()))
        .onMessage(RetireFunction.class, this::onRetireFunction)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(TakeSnapshot.class, this::onTakeSnapshot)
        .onMessage(KeepAliveTick.class, msg -> onKeepAliveTick())
        .onMessage(SnapshotChecked.class, msg -> {
          restores.checked(msg, now());
          starts.grantSlots();
          publish();
          return this;
        })
        .onMessage(Reconsider.class, msg -> {
          changed();
          return this;
        })
        .build();
  }

  // ---- placing invocations -------------------------------------------------------------------

  private Behavior<Command> onOffer(Offer offer) {
    long now = now();
    Placement placement = new Placement(now);
    Set<String> taken = new HashSet<>();
    Map<String, String> refused = new HashMap<>();
    for (Job job : offer.jobs()) {
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
    if (dispatcher != null) {
      dispatcher.tell(new Answer(taken, refused));
    }
    if (!placement.waitingFor.isEmpty() && !timers.isTimerActive(RECONSIDER)) {
      timers.startSingleTimer(RECONSIDER, new Reconsider(), RECONSIDER_AFTER);
    }
    publish();
    return this;
  }

  /** Decisions within one offer: who waits for a busy VM, and whether new VMs are blocked. */
  private final class Placement {
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
    String key = keyOf(function);
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
      vm.worker.tell(new Worker.Run(job, StartKind.WARM));
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

  // ---- what Workers say -----------------------------------------------------------------------

  private Behavior<Command> onWorkerEvent(Worker.Event event) {
    PoolVm vm = vms.get(event.vmId());
    if (vm == null) {
      return this;
    }
    if (event instanceof Worker.Initialising) {
      setStarting(vm, VmState.INITIALISING);
    } else if (event instanceof Worker.Snapshotting) {
      setStarting(vm, VmState.SNAPSHOTTING);
    } else if (event instanceof Worker.Started started) {
      onStarted(vm, started);
    } else if (event instanceof Worker.Idle idle) {
      onIdle(vm, idle);
    } else if (event instanceof Worker.RestoreFailed failed) {
      onRestoreFailed(vm, failed);
    } else if (event instanceof Worker.Gone gone) {
      onGone(vm, gone);
    }
    starts.grantSlots();
    publish();
    return this;
  }

  private void setStarting(PoolVm vm, VmState state) {
    if (vm.state.starting()) {
      vm.state = state;
    }
  }

  private void onStarted(PoolVm vm, Worker.Started started) {
    budget.release(vm.id);
    history.started(vm.key, started.kind(), started.startNanos());
    vm.readyCostNanos = started.startNanos();
    if (vm.state == VmState.STOPPING) {
      return;
    }
    if (started.running()) {
      vm.state = VmState.BUSY;
      vm.busySince = now();
    } else {
      becomeIdle(vm);
    }
    changed();
  }

  private void onIdle(PoolVm vm, Worker.Idle idle) {
    history.ran(vm.key, idle.runNanos());
    if (vm.state != VmState.STOPPING) {
      becomeIdle(vm);
      changed();
    }
  }

  private void becomeIdle(PoolVm vm) {
    vms.releaseVcpus(vm);
    if (vm.retireWhenIdle) {
      vm.retire("its function was redeployed or deleted");
    } else {
      vm.state = VmState.IDLE;
      vm.idleSince = now();
    }
  }

  private void onRestoreFailed(PoolVm vm, Worker.RestoreFailed failed) {
    budget.release(vm.id);
    memory.remove(vm.id);
    vms.releaseVcpus(vm);
    vm.state = VmState.STOPPING;
    restores.failed(vm, failed);
  }

  private void onGone(PoolVm vm, Worker.Gone gone) {
    vms.remove(vm);
    budget.release(vm.id);
    memory.remove(vm.id);
    log.debug("event=vm-gone vm={} function={} reason=\"{}\"", vm.id, vm.function.name(), gone.reason());
    changed();
  }

  private void changed() {
    if (dispatcher != null) {
      dispatcher.tell(new Changed());
    }
  }

  // ---- snapshots, measurements, keep-alive, retirement ----------------------------------------

  private Behavior<Command> onMeasured(PerfManager.Measured measured) {
    if (measured instanceof PerfManager.HostAvailable host) {
      memory.hostAvailable(host.availableMb(), now());
      if (blockedOnMemory) {
        blockedOnMemory = false;
        changed();
      }
    } else if (measured instanceof PerfManager.Footprint footprint && vms.get(footprint.vmId()) != null) {
      PoolVm vm = vms.get(footprint.vmId());
      memory.measured(vm.id, footprint.pssMb());
      if (vm.restores()) {
        history.cloneMeasured(vm.key, footprint.pssMb());
      }
      publish();   // a footprint above the estimate raises the accounted memory
    }
    return this;
  }

  private Behavior<Command> onTakeSnapshot(TakeSnapshot msg) {
    FunctionSpec function = msg.function();
    long estimateMb = capacity.bootEstimateMb(function.memoryMb());
    if (!keepAlive.makeRoom(estimateMb, now())) {
      msg.replyTo().tell(new SnapshotOutcome.Failed("the node has no room for another VM right now; retry"));
      return this;
    }
    starts.enqueue(function, null, Optional.of(new SnapshotOrder(msg.format(), Optional.of(msg.replyTo()))), 1, null,
        estimateMb, false);
    starts.grantSlots();
    publish();
    return this;
  }

  private Behavior<Command> onRetireFunction(RetireFunction msg) {
    for (PoolVm vm : new ArrayList<>(vms.all())) {
      boolean stale = vm.function.name().equals(msg.function())
          && msg.keepVersion().map(v -> !v.equals(vm.function.version())).orElse(true);
      if (stale && vm.state == VmState.IDLE) {
        vm.retire("its function was redeployed or deleted");
      } else if (stale) {
        vm.retireWhenIdle = true;
      }
    }
    publish();
    return this;
  }

  private Behavior<Command> onKeepAliveTick() {
    if (keepAlive.tick(now())) {
      publish();
    }
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus msg) {
    msg.replyTo().tell(new PoolStatus(vms.status(memory, now()), capacity.maxVms(), memory.budgetMb(),
        memory.accountedMb(), capacity.reserveMb(), memory.hostAvailableMb(), capacity.vcpus(), vms.heldVcpus(),
        budget.slots(), budget.inUse(), budget.waiting()));
    return this;
  }

  private void publish() {
    metrics.publish(vms.all(), new PoolMetrics.Counts(memory.accountedMb(), vms.heldVcpus(), budget.inUse(),
        budget.waiting()));
  }

  private long now() {
    return workers.nanoClock().getAsLong();
  }
}
