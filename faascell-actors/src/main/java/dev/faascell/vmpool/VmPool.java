package dev.faascell.vmpool;

import dev.faascell.config.NodeCapacity;
import dev.faascell.invocation.Job;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.StartKind;
import dev.faascell.perf.PerfManager;
import dev.faascell.policy.keepalive.IdleVm;
import dev.faascell.policy.keepalive.KeepAlivePolicy;
import dev.faascell.policy.scaling.Demand;
import dev.faascell.policy.scaling.ScalingPolicy;
import dev.faascell.policy.selection.VmSelectionPolicy;
import dev.faascell.policy.snapshot.SnapshotPolicy;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.snapshot.SnapshotOutcome;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.vmm.VmRestore;
import dev.faascell.worker.SnapshotOrder;
import dev.faascell.worker.Worker;
import dev.faascell.worker.WorkerContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
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
  public static final String WORKER_DISPATCHER = "faascell.actors.worker-dispatcher";
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

  private record FromWorker(Worker.Event event) implements Command {}

  private record FromSnapshots(SnapshotManager.Published published) implements Command {}

  private record FromPerf(PerfManager.Measured measured) implements Command {}

  private record KeepAliveTick() implements Command {}

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

  /** The pool's policies. */
  public record Policies(KeepAlivePolicy keepAlive, Duration keepAliveCheck, VmSelectionPolicy selection,
                         ScalingPolicy scaling, SnapshotPolicy snapshots, SnapshotFormat snapshotFormat,
                         int prestartedPerSnapshot, int restoreRetries) {}

  private final TimerScheduler<Command> timers;
  private final NodeCapacity capacity;
  private final Policies policies;
  private final WorkerContext workers;
  private final PoolMetrics metrics;
  private final StartBudget budget;
  private final MemoryAccount memory;
  private final StartHistory history = new StartHistory();
  private final Map<String, PoolVm> vms = new LinkedHashMap<>();
  /** The newest spec of every function the pool has served: what a pre-warm starts. */
  private final Map<FunctionName, FunctionSpec> knownFunctions = new HashMap<>();
  private final ActorRef<Worker.Event> workerEvents;
  private Map<String, SnapshotRecord> snapshots = Map.of();
  private ActorRef<Event> dispatcher;
  private int heldVcpus;
  private long nextVmNumber = 1;
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
    this.workerEvents = ctx.messageAdapter(Worker.Event.class, FromWorker::new);
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
        .onMessage(FromSnapshots.class, msg -> onSnapshotsChanged(msg.published().byFunction()))
        .onMessage(FromPerf.class, msg -> onMeasured(msg.measured()))
        .onMessage(RetireFunction.class, this::onRetireFunction)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(TakeSnapshot.class, this::onTakeSnapshot)
        .onMessage(KeepAliveTick.class, msg -> onKeepAliveTick())
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
        knownFunctions.put(function.name(), function);
        policies.keepAlive().invoked(function.name(), now);
      }
    }
    grantSlots();
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
    if (capacity.vcpus() - heldVcpus < function.vcpus()) {
      return false;
    }
    Optional<PoolVm> idle = pickIdle(key, placement.now);
    if (idle.isPresent()) {
      PoolVm vm = idle.get();
      vm.state = VmState.BUSY;
      vm.busySince = placement.now;
      vm.invocations++;
      holdVcpus(vm);
      vm.worker.tell(new Worker.Run(job, StartKind.WARM));
      return true;
    }
    if (placement.newVmsBlocked) {
      return false;   // the oldest invocation that needs a new VM waits; later ones may only take idle VMs
    }
    SnapshotRecord snapshot = restorable(function);
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
    long estimateMb = estimateMb(function, snapshot != null);
    if (!makeRoom(estimateMb, placement.now)) {
      placement.newVmsBlocked = true;
      blockedOnMemory = true;
      return false;
    }
    metrics.scalingStart(function.name(), decision.reason());
    PoolVm vm = newVm(function, snapshot, snapshot == null ? policyOrder(function, 0) : Optional.empty(), 1, job,
        estimateMb);
    budget.enqueue(vm.id);
    return true;
  }

  private Demand demand(FunctionSpec function, String key, boolean restore, int waitingAhead, long now) {
    int busy = 0;
    long longest = 0;
    for (PoolVm vm : vms.values()) {
      if (vm.state == VmState.BUSY && vm.key.equals(key)) {
        busy++;
        longest = Math.max(longest, now - vm.busySince);
      }
    }
    return new Demand(function.name(), busy, longest, waitingAhead, history.expectedRunNanos(key),
        history.expectedStartNanos(key, restore), budget.waiting(), budget.slots());
  }

  /** The function's snapshot, if it has one and the selection policy restores it. */
  private SnapshotRecord restorable(FunctionSpec function) {
    SnapshotRecord snapshot = snapshots.get(keyOf(function));
    return snapshot != null && policies.selection().restore(function.name()) ? snapshot : null;
  }

  private long estimateMb(FunctionSpec function, boolean restore) {
    return restore ? history.cloneEstimateMb(keyOf(function), capacity.restoreEstimateMb())
        : capacity.bootEstimateMb(function.memoryMb());
  }

  /** The idle VM of this function version the selection policy picks. */
  private Optional<PoolVm> pickIdle(String key, long now) {
    List<IdleVm> candidates = new ArrayList<>();
    for (PoolVm vm : vms.values()) {
      if (vm.state == VmState.IDLE && vm.key.equals(key)) {
        candidates.add(idleVm(vm));
      }
    }
    return candidates.isEmpty() ? Optional.empty()
        : Optional.of(vms.get(policies.selection().pick(candidates, now).vmId()));
  }

  /**
   * True if a VM of {@code estimateMb} fits now. Otherwise stops as many idle VMs as the keep-alive
   * policy names until it will fit once every stopping VM is gone, and says no: the pool tells the
   * Dispatcher when they are.
   */
  private boolean makeRoom(long estimateMb, long now) {
    int live = (int) vms.values().stream().filter(vm -> vm.state != VmState.STOPPING).count();
    long shortfall = memory.shortfallMb(estimateMb, now);
    if (shortfall == 0 && live < capacity.maxVms()) {
      return true;
    }
    boolean needSlot = live >= capacity.maxVms();
    for (PoolVm vm : vms.values()) {
      if (vm.state == VmState.STOPPING) {
        shortfall -= memory.accountedMb(vm.id);
      }
    }
    for (KeepAlivePolicy.Decision victim : policies.keepAlive().victims(idleVms(), (int) estimateMb, now)) {
      if (shortfall <= 0 && !needSlot) {
        break;
      }
      PoolVm vm = vms.get(victim.vm().vmId());
      if (vm != null && vm.state == VmState.IDLE) {
        evict(vm, victim, "make-room", now);
        shortfall -= memory.accountedMb(vm.id);
        needSlot = false;
      }
    }
    return false;
  }

  private PoolVm newVm(FunctionSpec function, SnapshotRecord snapshot, Optional<SnapshotOrder> order, int restoreAttempt,
                       Job job, long estimateMb) {
    PoolVm vm = new PoolVm("vm-" + nextVmNumber++, function, keyOf(function), now(), snapshot, order, restoreAttempt,
        job);
    vms.put(vm.id, vm);
    memory.add(vm.id, estimateMb, vm.createdAt);
    if (job != null) {
      holdVcpus(vm);
    }
    return vm;
  }

  /** Starts every waiting VM a free slot allows; its Worker's timeouts count from here. */
  private void grantSlots() {
    for (Optional<String> next = budget.grantNext(); next.isPresent(); next = budget.grantNext()) {
      PoolVm vm = vms.get(next.get());
      Optional<Job> job = Optional.ofNullable(vm.firstJob).map(j -> j.slotGranted(now()));
      vm.firstJob = null;
      Behavior<Worker.Command> behavior = vm.restores()
          ? Worker.restore(vm.id, vm.function, vm.snapshot, workers, workerEvents, job)
          : Worker.coldStart(vm.id, vm.function, workers, workerEvents, job, vm.snapshotOrder);
      vm.worker = getContext().spawn(behavior, vm.id, DispatcherSelector.fromConfig(WORKER_DISPATCHER));
      getContext().watchWith(vm.worker, new FromWorker(new Worker.Gone(vm.id, "worker stopped")));
      vm.state = vm.restores() ? VmState.RESTORING : VmState.BOOTING;
      log.debug("event=vm-start vm={} function={} kind={} snapshot={} attempt={} accounted_mb={}", vm.id,
          vm.function.name(), vm.restores() ? "restore" : "cold", vm.restores() ? vm.snapshot.id()
              : vm.snapshotOrder.isPresent() ? "take" : "none", vm.restoreAttempt, memory.accountedMb(vm.id));
    }
  }

  /** A snapshot order if the policy wants one, counting the snapshots that exist or are being made. */
  private Optional<SnapshotOrder> policyOrder(FunctionSpec function, int existing) {
    String key = keyOf(function);
    int count = existing + (int) vms.values().stream().filter(vm -> vm.takingSnapshot() && vm.key.equals(key)).count();
    return policies.snapshots().snapshotAfterInit(function, count)
        ? Optional.of(new SnapshotOrder(policies.snapshotFormat(), Optional.empty())) : Optional.empty();
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
    grantSlots();
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
    releaseVcpus(vm);
    if (vm.retireWhenIdle) {
      retire(vm, "its function was redeployed or deleted");
    } else {
      vm.state = VmState.IDLE;
      vm.idleSince = now();
    }
  }

  /**
   * A restore that failed. Its invocation is placed again at once, ahead of every waiting start: as
   * another restore while the snapshot is not known to be broken and retries are left (a restore that
   * timed out on a busy host would only cost more as a cold boot), else as a cold boot, and the
   * snapshot goes.
   */
  private void onRestoreFailed(PoolVm vm, Worker.RestoreFailed failed) {
    budget.release(vm.id);
    memory.remove(vm.id);
    releaseVcpus(vm);
    vm.state = VmState.STOPPING;
    SnapshotRecord snapshot = failed.snapshot();
    boolean current = snapshot.equals(snapshots.get(vm.key));
    boolean retry = !failed.snapshotBroken() && current && vm.restoreAttempt <= policies.restoreRetries();
    if (!retry && current) {
      workers.snapshots().tell(new SnapshotManager.RestoreFailed(snapshot.id(), snapshot.directory(), failed.reason()));
      Map<String, SnapshotRecord> remaining = new HashMap<>(snapshots);
      remaining.remove(vm.key);
      snapshots = Map.copyOf(remaining);
    }
    if (failed.job().isEmpty()) {
      return;
    }
    SnapshotRecord next = retry ? snapshot : restorable(vm.function);
    String reason = failed.snapshotBroken() ? "broken-snapshot" : retry ? "restore-failed" : "restore-retries-exhausted";
    metrics.restoreReplaced(next != null, reason, vm.function.name(), failed.reason());
    PoolVm replacement = newVm(vm.function, next, next == null ? policyOrder(vm.function, 0) : Optional.empty(),
        next == null ? 1 : vm.restoreAttempt + 1, failed.job().get(), estimateMb(vm.function, next != null));
    budget.enqueueFirst(replacement.id);
  }

  private void onGone(PoolVm vm, Worker.Gone gone) {
    vms.remove(vm.id);
    budget.release(vm.id);
    memory.remove(vm.id);
    releaseVcpus(vm);
    log.debug("event=vm-gone vm={} function={} reason=\"{}\"", vm.id, vm.function.name(), gone.reason());
    changed();
  }

  private void changed() {
    if (dispatcher != null) {
      dispatcher.tell(new Changed());
    }
  }

  // ---- snapshots, measurements, keep-alive, retirement ----------------------------------------

  /** New snapshots get VMMs waiting for them; snapshots that are gone or moved let theirs go. */
  private Behavior<Command> onSnapshotsChanged(Map<String, SnapshotRecord> current) {
    Map<String, SnapshotRecord> previous = snapshots;
    snapshots = current;
    if (policies.prestartedPerSnapshot() > 0) {
      previous.values().stream().filter(old -> !current.containsValue(old))
          .forEach(old -> workers.io().execute(() -> workers.vmm().keepRestoresReady(restoreOf(old), 0)));
      current.values().stream().filter(now -> !previous.containsValue(now)).forEach(now -> workers.io().execute(
          () -> workers.vmm().keepRestoresReady(restoreOf(now), policies.prestartedPerSnapshot())));
    }
    return this;
  }

  private VmRestore restoreOf(SnapshotRecord snapshot) {
    return new VmRestore("prestart", workers.image(), snapshot.memoryMb(), snapshot.vcpus(),
        snapshot.files());
  }

  private Behavior<Command> onMeasured(PerfManager.Measured measured) {
    if (measured instanceof PerfManager.HostAvailable host) {
      memory.hostAvailable(host.availableMb(), now());
      if (blockedOnMemory) {
        blockedOnMemory = false;
        changed();
      }
    } else if (measured instanceof PerfManager.Footprint footprint && vms.containsKey(footprint.vmId())) {
      PoolVm vm = vms.get(footprint.vmId());
      memory.measured(vm.id, footprint.pssMb());
      if (vm.restores()) {
        history.cloneMeasured(vm.key, footprint.pssMb());
      }
    }
    return this;
  }

  private Behavior<Command> onTakeSnapshot(TakeSnapshot msg) {
    FunctionSpec function = msg.function();
    long estimateMb = capacity.bootEstimateMb(function.memoryMb());
    if (!makeRoom(estimateMb, now())) {
      msg.replyTo().tell(new SnapshotOutcome.Failed("the node has no room for another VM right now; retry"));
      return this;
    }
    PoolVm vm = newVm(function, null, Optional.of(new SnapshotOrder(msg.format(), Optional.of(msg.replyTo()))), 1,
        null, estimateMb);
    budget.enqueue(vm.id);
    grantSlots();
    publish();
    return this;
  }

  private Behavior<Command> onRetireFunction(RetireFunction msg) {
    for (PoolVm vm : new ArrayList<>(vms.values())) {
      boolean stale = vm.function.name().equals(msg.function())
          && msg.keepVersion().map(v -> !v.equals(vm.function.version())).orElse(true);
      if (stale && vm.state == VmState.IDLE) {
        retire(vm, "its function was redeployed or deleted");
      } else if (stale) {
        vm.retireWhenIdle = true;
      }
    }
    publish();
    return this;
  }

  private Behavior<Command> onKeepAliveTick() {
    long now = now();
    List<KeepAlivePolicy.Decision> expired = policies.keepAlive().expired(idleVms(), now);
    for (KeepAlivePolicy.Decision decision : expired) {
      PoolVm vm = vms.get(decision.vm().vmId());
      if (vm != null && vm.state == VmState.IDLE) {
        evict(vm, decision, "expired", now);
      }
    }
    Set<FunctionName> present = new HashSet<>();
    vms.values().stream().filter(vm -> vm.state != VmState.STOPPING).forEach(vm -> present.add(vm.function.name()));
    boolean prewarmed = false;
    for (KeepAlivePolicy.Prewarm prewarm : policies.keepAlive().prewarm(present, now)) {
      FunctionSpec function = knownFunctions.get(prewarm.function());
      // a pre-warm only uses a slot nobody waits for
      if (function != null && budget.waiting() == 0 && budget.inUse() < budget.slots()) {
        SnapshotRecord snapshot = restorable(function);
        long estimateMb = estimateMb(function, snapshot != null);
        if (memory.shortfallMb(estimateMb, now) == 0) {
          metrics.prewarm(function.name(), prewarm.reason());
          PoolVm vm = newVm(function, snapshot, snapshot == null ? policyOrder(function, 0) : Optional.empty(), 1, null,
              estimateMb);
          budget.enqueue(vm.id);
          prewarmed = true;
        }
      }
    }
    if (prewarmed) {
      grantSlots();
    }
    if (!expired.isEmpty() || prewarmed) {
      publish();
    }
    return this;
  }

  /** Stops an idle VM the keep-alive policy chose, saying why, and counts it. */
  private void evict(PoolVm vm, KeepAlivePolicy.Decision decision, String cause, long now) {
    policies.keepAlive().stopped(decision.vm(), now);
    metrics.eviction(cause);
    retire(vm, "keep-alive policy " + policies.keepAlive().name() + " (" + cause + "): " + decision.reason());
  }

  private void retire(PoolVm vm, String reason) {
    vm.state = VmState.STOPPING;
    log.info("event=vm-retire vm={} function={} reason=\"{}\"", vm.id, vm.function.name(), reason);
    vm.worker.tell(new Worker.Retire(reason));
  }

  private void holdVcpus(PoolVm vm) {
    if (!vm.holdsVcpus) {
      vm.holdsVcpus = true;
      heldVcpus += vm.function.vcpus();
    }
  }

  private void releaseVcpus(PoolVm vm) {
    if (vm.holdsVcpus) {
      vm.holdsVcpus = false;
      heldVcpus -= vm.function.vcpus();
    }
  }

  private List<IdleVm> idleVms() {
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

  private Behavior<Command> onGetStatus(GetStatus msg) {
    long now = now();
    List<VmStatus> list = vms.values().stream()
        .map(vm -> new VmStatus(vm.id, vm.function.name().value(), vm.function.version(), vm.state,
            vm.function.memoryMb(), memory.accountedMb(vm.id), (now - vm.createdAt) / 1_000_000,
            vm.state == VmState.IDLE ? (now - vm.idleSince) / 1_000_000 : 0, vm.invocations))
        .toList();
    msg.replyTo().tell(new PoolStatus(list, capacity.maxVms(), memory.budgetMb(), memory.accountedMb(),
        capacity.reserveMb(), memory.hostAvailableMb(), capacity.vcpus(), heldVcpus, budget.slots(), budget.inUse(),
        budget.waiting()));
    return this;
  }

  private void publish() {
    metrics.publish(vms.values(), memory.accountedMb(), heldVcpus, budget.inUse(), budget.waiting());
  }

  private long now() {
    return workers.nanoClock().getAsLong();
  }
}
