package dev.faascell.vmpool;

import dev.faascell.config.NodeCapacity;
import dev.faascell.dispatcher.Dispatcher;
import dev.faascell.dispatcher.Job;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.StartKind;
import dev.faascell.policy.keepalive.IdleVm;
import dev.faascell.policy.keepalive.KeepAlivePolicy;
import dev.faascell.policy.selection.VmSelectionPolicy;
import dev.faascell.policy.snapshot.SnapshotPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.HashSet;
import java.util.Set;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's state: every VM, the function it serves, its state, and the node's memory and VM-count
 * accounting. For each assigned invocation it picks, in order: an idle VM of the function (warm), a
 * VM restored from the function's snapshot (restore), a VM booted from the image (cold) — evicting
 * idle VMs by the keep-alive policy when a new one does not fit; what it cannot place goes back to the
 * Dispatcher. A VM serves one function, one invocation at a time.
 */
public final class VmPool extends AbstractBehavior<VmPool.Command> {
  private static final Logger log = LoggerFactory.getLogger(VmPool.class);
  public static final String WORKER_DISPATCHER = "faascell.actors.worker-dispatcher";

  /** The VmPool's protocol. */
  public sealed interface Command {}

  /** The Dispatcher that receives this pool's views and returned jobs. */
  public record Attach(ActorRef<Dispatcher.Command> dispatcher) implements Command {}

  /** Run {@code job}; {@code seq} numbers the Dispatcher's assignments. */
  public record Assign(Job job, long seq) implements Command {}

  /** A Worker finished booting or running and can take the next invocation of its function. */
  public record WorkerIdle(String vmId, long readyCostNanos) implements Command {}

  /** A Worker's VM is gone (stopped, killed, crashed); its resources are free. */
  public record WorkerGone(String vmId, String reason) implements Command {}

  /** Stop the VMs of {@code function} that do not run {@code keepVersion} (empty: all of them). */
  public record RetireFunction(FunctionName function, Optional<String> keepVersion) implements Command {}

  public record GetStatus(ActorRef<PoolStatus> replyTo) implements Command {}

  /** The best snapshot of each function version ({@code name@version}), from the SnapshotManager. */
  public record SnapshotsChanged(Map<String, SnapshotRecord> byFunction) implements Command {}

  /** Boot a fresh VM of {@code function} and snapshot it (POST /v1/functions/{name}/snapshot). */
  public record TakeSnapshot(FunctionSpec function, SnapshotFormat format, ActorRef<SnapshotOutcome> replyTo)
      implements Command {}

  private record KeepAliveTick() implements Command {}

  /** The pool's record of one VM (actor-owned, mutable). */
  private static final class Vm {
    final String id;
    final FunctionSpec function;
    final String key;
    final ActorRef<Worker.Command> worker;
    final int reservedMb;
    final long startedAt;
    VmState state = VmState.STARTING;
    long idleSince;
    long invocations;
    long readyCostNanos;
    boolean retireWhenIdle;
    /** Started to take a snapshot after INIT; counts as a snapshot in the making while STARTING. */
    boolean snapshotting;
    /** Starting and busy VMs hold their vCPUs; idle ones only their memory. */
    boolean holdsVcpus = true;

    Vm(String id, FunctionSpec function, ActorRef<Worker.Command> worker, int reservedMb, long startedAt) {
      this.id = id;
      this.function = function;
      this.key = keyOf(function);
      this.worker = worker;
      this.reservedMb = reservedMb;
      this.startedAt = startedAt;
    }
  }

  private final NodeCapacity capacity;
  private final MeterRegistry metrics;
  private final MultiGauge vmGauge;
  private final VmSelectionPolicy selection;
  private final KeepAlivePolicy keepAlive;
  /** The newest spec of every function the pool has served: what a pre-warm starts. */
  private final Map<FunctionName, FunctionSpec> knownFunctions = new HashMap<>();
  private int heldVcpus;
  private final SnapshotPolicy snapshotPolicy;
  private final SnapshotFormat snapshotFormat;
  private final int prestartedPerSnapshot;
  private final WorkerContext workers;
  private Map<String, SnapshotRecord> snapshots = Map.of();
  private final Map<String, Vm> vms = new LinkedHashMap<>();
  private ActorRef<Dispatcher.Command> dispatcher;
  private long assignsSeen;
  private long reservedMb;
  private long nextVmNumber = 1;

  /** The pool's policies. */
  public record Policies(KeepAlivePolicy keepAlive, Duration keepAliveCheck, VmSelectionPolicy selection,
                         SnapshotPolicy snapshots, SnapshotFormat snapshotFormat, int prestartedPerSnapshot) {}

  public static Behavior<Command> create(NodeCapacity capacity, Policies policies, WorkerContext workers,
                                         MeterRegistry metrics) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new KeepAliveTick(), policies.keepAliveCheck());
      workers.snapshots().tell(new SnapshotManager.Attach(ctx.getSelf()));
      return new VmPool(ctx, capacity, policies, workers, metrics);
    }));
  }

  private VmPool(ActorContext<Command> ctx, NodeCapacity capacity, Policies policies, WorkerContext workers,
                 MeterRegistry metrics) {
    super(ctx);
    this.capacity = capacity;
    this.metrics = metrics;
    this.vmGauge = MultiGauge.builder("faascell.vms").description("VMs by state and function").register(metrics);
    Gauge.builder("faascell.node.memory.reserved", () -> (double) reservedMb * (1 << 20)).baseUnit("bytes")
        .description("memory reserved by VMs (guest + overhead)").register(metrics);
    Gauge.builder("faascell.node.memory.capacity", () -> (double) capacity.memoryMb() * (1 << 20)).baseUnit("bytes")
        .description("memory the node may give VMs").register(metrics);
    Gauge.builder("faascell.node.vcpus.held", () -> heldVcpus).description("vCPUs held by starting and busy VMs")
        .register(metrics);
    Gauge.builder("faascell.node.vcpus.capacity", capacity::vcpus).description("vCPUs VMs may hold at once")
        .register(metrics);
    this.selection = policies.selection();
    this.keepAlive = policies.keepAlive();
    this.snapshotPolicy = policies.snapshots();
    this.snapshotFormat = policies.snapshotFormat();
    this.prestartedPerSnapshot = policies.prestartedPerSnapshot();
    this.workers = workers;
  }

  public static String keyOf(FunctionSpec function) {
    return function.name().value() + "@" + function.version();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Attach.class, this::onAttach)
        .onMessage(Assign.class, this::onAssign)
        .onMessage(WorkerIdle.class, this::onWorkerIdle)
        .onMessage(WorkerGone.class, this::onWorkerGone)
        .onMessage(RetireFunction.class, this::onRetireFunction)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(SnapshotsChanged.class, this::onSnapshotsChanged)
        .onMessage(TakeSnapshot.class, this::onTakeSnapshot)
        .onMessage(KeepAliveTick.class, msg -> onKeepAliveTick())
        .build();
  }

  private Behavior<Command> onAttach(Attach msg) {
    dispatcher = msg.dispatcher();
    publish();
    return this;
  }

  private Behavior<Command> onAssign(Assign msg) {
    assignsSeen = Math.max(assignsSeen, msg.seq());
    FunctionSpec function = msg.job().invocation().function();
    long now = now();
    Job job = msg.job().assigned(now);
    knownFunctions.put(function.name(), function);
    Optional<Vm> idle = pickIdle(keyOf(function), now);
    if (heldVcpus + function.vcpus() > capacity.vcpus()) {
      dispatcher.tell(new Dispatcher.Returned(msg.job(), msg.seq()));
    } else if (idle.isPresent()) {
      keepAlive.invoked(function.name(), now);
      Vm vm = idle.get();
      vm.state = VmState.BUSY;
      vm.invocations++;
      holdVcpus(vm);
      vm.worker.tell(new Worker.Run(job, StartKind.WARM));
    } else if (makeRoom(function.memoryMb())) {
      keepAlive.invoked(function.name(), now);
      startVm(function, Optional.of(job), Optional.empty());
    } else {
      dispatcher.tell(new Dispatcher.Returned(msg.job(), msg.seq()));
    }
    publish();
    return this;
  }

  /** The idle VM of this function version the selection policy picks. */
  private Optional<Vm> pickIdle(String key, long now) {
    List<IdleVm> candidates = new ArrayList<>();
    for (Vm vm : vms.values()) {
      if (vm.state == VmState.IDLE && vm.key.equals(key)) {
        candidates.add(idleVm(vm));
      }
    }
    return candidates.isEmpty() ? Optional.empty() : Optional.of(vms.get(selection.pick(candidates, now).vmId()));
  }

  private void holdVcpus(Vm vm) {
    if (!vm.holdsVcpus) {
      vm.holdsVcpus = true;
      heldVcpus += vm.function.vcpus();
    }
  }

  private void releaseVcpus(Vm vm) {
    if (vm.holdsVcpus) {
      vm.holdsVcpus = false;
      heldVcpus -= vm.function.vcpus();
    }
  }

  /**
   * True if a VM of {@code memoryMb} fits now. Otherwise stops as many idle VMs as the keep-alive
   * policy names until it will fit once every stopping VM is gone, and says no: the job comes back
   * when they are.
   */
  private boolean makeRoom(int memoryMb) {
    if (fits(memoryMb)) {
      return true;
    }
    long now = now();
    int freeSlots = capacity.maxVms() - vms.size();
    long freeMb = capacity.memoryMb() - reservedMb;
    for (Vm vm : vms.values()) {
      if (vm.state == VmState.STOPPING) {
        freeSlots++;
        freeMb += vm.reservedMb;
      }
    }
    for (KeepAlivePolicy.Decision victim : keepAlive.victims(idleVms(), memoryMb, now)) {
      if (freeSlots >= 1 && freeMb >= capacity.reservationMb(memoryMb)) {
        break;
      }
      Vm vm = vms.get(victim.vm().vmId());
      if (vm != null && vm.state == VmState.IDLE) {
        evict(vm, victim, "make-room", now);
        freeSlots++;
        freeMb += vm.reservedMb;
      }
    }
    return false;
  }

  private boolean fits(int memoryMb) {
    return vms.size() < capacity.maxVms() && reservedMb + capacity.reservationMb(memoryMb) <= capacity.memoryMb();
  }

  /** Stops an idle VM the keep-alive policy chose, saying why, and counts it. */
  private void evict(Vm vm, KeepAlivePolicy.Decision decision, String cause, long now) {
    keepAlive.stopped(decision.vm(), now);
    Counter.builder("faascell.vm.evictions").description("idle VMs stopped by the keep-alive policy")
        .tag("policy", keepAlive.name()).tag("cause", cause).register(metrics).increment();
    retire(vm, "keep-alive policy " + keepAlive.name() + " (" + cause + "): " + decision.reason());
  }

  /**
   * Starts a VM for {@code function}: restored from its snapshot if it has one, else booted cold (and
   * snapshotted after INIT when the snapshot policy says so, or when {@code explicit} asks).
   */
  private void startVm(FunctionSpec function, Optional<Job> job, Optional<SnapshotOrder> explicit) {
    String vmId = "vm-" + nextVmNumber++;
    String key = keyOf(function);
    SnapshotRecord snapshot = explicit.isEmpty() ? snapshots.get(key) : null;
    if (snapshot != null && !selection.restore(function.name())) {
      snapshot = null;
    }
    Optional<SnapshotOrder> order = explicit.isPresent() ? explicit : policyOrder(function, snapshot == null ? 0 : 1);
    Behavior<Worker.Command> behavior = snapshot != null
        ? Worker.restore(vmId, function, snapshot, workers, getContext().getSelf(), job,
            policyOrder(function, 0).filter(o -> snapshotsInTheMaking(key) == 0))
        : Worker.coldStart(vmId, function, workers, getContext().getSelf(), job, order);
    ActorRef<Worker.Command> worker = getContext().spawn(behavior, vmId, DispatcherSelector.fromConfig(WORKER_DISPATCHER));
    getContext().watchWith(worker, new WorkerGone(vmId, "worker stopped"));
    Vm vm = new Vm(vmId, function, worker, capacity.reservationMb(function.memoryMb()), now());
    vm.invocations = job.isPresent() ? 1 : 0;
    vm.snapshotting = snapshot == null && order.isPresent();
    vms.put(vmId, vm);
    reservedMb += vm.reservedMb;
    heldVcpus += function.vcpus();
    log.debug("event=vm-start vm={} function={} kind={} snapshot={} reserved_mb={}", vmId, function.name(),
        snapshot != null ? "restore" : "cold", snapshot != null ? snapshot.id() : (vm.snapshotting ? "take" : "none"),
        vm.reservedMb);
  }

  /** A snapshot order if the policy wants one, counting the snapshots that exist or are being made. */
  private Optional<SnapshotOrder> policyOrder(FunctionSpec function, int existing) {
    int count = existing + snapshotsInTheMaking(keyOf(function));
    return snapshotPolicy.snapshotAfterInit(function, count)
        ? Optional.of(new SnapshotOrder(snapshotFormat, Optional.empty())) : Optional.empty();
  }

  private int snapshotsInTheMaking(String key) {
    return (int) vms.values().stream().filter(vm -> vm.snapshotting && vm.state == VmState.STARTING && vm.key.equals(key))
        .count();
  }

  /** New snapshots get VMMs waiting for them; snapshots that are gone or moved let theirs go. */
  private Behavior<Command> onSnapshotsChanged(SnapshotsChanged msg) {
    Map<String, SnapshotRecord> previous = snapshots;
    snapshots = Map.copyOf(msg.byFunction());
    for (SnapshotRecord old : previous.values()) {
      if (!snapshots.containsValue(old) && prestartedPerSnapshot > 0) {
        workers.io().execute(() -> workers.vmm().keepRestoresReady(restoreOf(old), 0));
      }
    }
    for (SnapshotRecord current : snapshots.values()) {
      if (!previous.containsValue(current) && prestartedPerSnapshot > 0) {
        workers.io().execute(() -> workers.vmm().keepRestoresReady(restoreOf(current), prestartedPerSnapshot));
      }
    }
    return this;
  }

  private VmRestore restoreOf(SnapshotRecord snapshot) {
    return new VmRestore("prestart", workers.image(), snapshot.memoryMb(), snapshot.vcpus(), snapshot.files());
  }

  private Behavior<Command> onTakeSnapshot(TakeSnapshot msg) {
    if (heldVcpus + msg.function().vcpus() > capacity.vcpus() || !makeRoom(msg.function().memoryMb())) {
      msg.replyTo().tell(new SnapshotOutcome.Failed("the node has no room for another VM right now; retry"));
      return this;
    }
    startVm(msg.function(), Optional.empty(), Optional.of(new SnapshotOrder(msg.format(), Optional.of(msg.replyTo()))));
    publish();
    return this;
  }

  private Behavior<Command> onWorkerIdle(WorkerIdle msg) {
    Vm vm = vms.get(msg.vmId());
    if (vm == null || vm.state == VmState.STOPPING) {
      return this;
    }
    if (vm.state == VmState.STARTING) {
      vm.readyCostNanos = msg.readyCostNanos();
    }
    releaseVcpus(vm);
    if (vm.retireWhenIdle) {
      retire(vm, "its function was redeployed or deleted");
    } else {
      vm.state = VmState.IDLE;
      vm.idleSince = now();
    }
    publish();
    return this;
  }

  private Behavior<Command> onWorkerGone(WorkerGone msg) {
    Vm vm = vms.remove(msg.vmId());
    if (vm != null) {
      releaseVcpus(vm);
      reservedMb -= vm.reservedMb;
      log.debug("event=vm-gone vm={} function={} reason=\"{}\"", vm.id, vm.function.name(), msg.reason());
      publish();
    }
    return this;
  }

  private Behavior<Command> onRetireFunction(RetireFunction msg) {
    for (Vm vm : new ArrayList<>(vms.values())) {
      boolean stale = vm.function.name().equals(msg.function())
          && msg.keepVersion().map(v -> !v.equals(vm.function.version())).orElse(true);
      if (!stale) {
        continue;
      }
      if (vm.state == VmState.IDLE) {
        retire(vm, "its function was redeployed or deleted");
      } else {
        vm.retireWhenIdle = true;
      }
    }
    publish();
    return this;
  }

  private Behavior<Command> onKeepAliveTick() {
    long now = now();
    List<KeepAlivePolicy.Decision> expired = keepAlive.expired(idleVms(), now);
    for (KeepAlivePolicy.Decision decision : expired) {
      Vm vm = vms.get(decision.vm().vmId());
      if (vm != null && vm.state == VmState.IDLE) {
        evict(vm, decision, "expired", now);
      }
    }
    Set<FunctionName> ready = new HashSet<>();
    vms.values().stream().filter(vm -> vm.state != VmState.STOPPING).forEach(vm -> ready.add(vm.function.name()));
    boolean prewarmed = false;
    for (KeepAlivePolicy.Prewarm prewarm : keepAlive.prewarm(ready, now)) {
      FunctionSpec function = knownFunctions.get(prewarm.function());
      if (function != null && fits(function.memoryMb()) && heldVcpus + function.vcpus() <= capacity.vcpus()) {
        Counter.builder("faascell.vm.prewarms").description("VMs started ahead of a predicted invocation")
            .tag("policy", keepAlive.name()).register(metrics).increment();
        log.info("event=vm-prewarm function={} policy={} reason=\"{}\"", function.name(), keepAlive.name(),
            prewarm.reason());
        startVm(function, Optional.empty(), Optional.empty());
        prewarmed = true;
      }
    }
    if (!expired.isEmpty() || prewarmed) {
      publish();
    }
    return this;
  }

  private void retire(Vm vm, String reason) {
    vm.state = VmState.STOPPING;
    log.info("event=vm-retire vm={} function={} reason=\"{}\"", vm.id, vm.function.name(), reason);
    vm.worker.tell(new Worker.Retire(reason));
  }

  private List<IdleVm> idleVms() {
    List<IdleVm> idle = new ArrayList<>();
    for (Vm vm : vms.values()) {
      if (vm.state == VmState.IDLE) {
        idle.add(idleVm(vm));
      }
    }
    return idle;
  }

  private static IdleVm idleVm(Vm vm) {
    return new IdleVm(vm.id, vm.function.name(), vm.function.memoryMb(), vm.idleSince, vm.invocations, vm.readyCostNanos);
  }

  private Behavior<Command> onGetStatus(GetStatus msg) {
    long now = now();
    List<VmStatus> list = vms.values().stream()
        .map(vm -> new VmStatus(vm.id, vm.function.name().value(), vm.function.version(), vm.state,
            vm.function.memoryMb(), (now - vm.startedAt) / 1_000_000,
            vm.state == VmState.IDLE ? (now - vm.idleSince) / 1_000_000 : 0, vm.invocations))
        .toList();
    msg.replyTo().tell(new PoolStatus(list, capacity.maxVms(), capacity.memoryMb(), reservedMb, capacity.vcpus(),
        heldVcpus));
    return this;
  }

  private void publish() {
    Map<List<String>, Integer> byStateAndFunction = new HashMap<>();
    for (Vm vm : vms.values()) {
      byStateAndFunction.merge(List.of(vm.state.wireName(), vm.function.name().value()), 1, Integer::sum);
    }
    vmGauge.register(byStateAndFunction.entrySet().stream()
        .map(e -> MultiGauge.Row.of(Tags.of("state", e.getKey().get(0), "function", e.getKey().get(1)), e.getValue()))
        .toList(), true);
    if (dispatcher == null) {
      return;
    }
    Map<String, Integer> idle = new HashMap<>();
    Map<String, Integer> active = new HashMap<>();
    int idleCount = 0;
    long idleMb = 0;
    int stopping = 0;
    long stoppingMb = 0;
    for (Vm vm : vms.values()) {
      if (vm.state == VmState.IDLE) {
        idle.merge(vm.key, 1, Integer::sum);
        idleCount++;
        idleMb += vm.reservedMb;
      } else if (vm.state == VmState.STOPPING) {
        stopping++;
        stoppingMb += vm.reservedMb;
      } else {
        active.merge(vm.function.name().value(), 1, Integer::sum);
      }
    }
    dispatcher.tell(new Dispatcher.PoolChanged(new PoolView(assignsSeen, idle, capacity.maxVms() - vms.size(),
        capacity.memoryMb() - reservedMb, idleCount, idleMb, capacity.vcpus() - heldVcpus, active, stopping, stoppingMb)));
  }

  private long now() {
    return workers.nanoClock().getAsLong();
  }
}
