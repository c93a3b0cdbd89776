package dev.faascell.vmpool;

import dev.faascell.config.NodeCapacity;
import dev.faascell.invocation.Job;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.NetworkPolicy;
import dev.faascell.model.StartKind;
import dev.faascell.perf.PerfManager;
import dev.faascell.policy.keepalive.KeepAlivePolicy;
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
import java.util.HashMap;
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

/**
 * The node's state and its one owner (after OpenWhisk's ContainerPool): every VM, the function it
 * serves, what it is doing, the node's memory and vCPU accounting and its start slots. The Dispatcher
 * offers it the waiting invocations in its queue's order; the pool decides for each, in that order: an
 * idle VM of the function (warm); or, when the scaling policy says a new VM beats waiting for a busy
 * one and the node has room, a VM of its own — restored from the function's snapshot, else booted —
 * whose start waits for a start slot. What it does not take stays in the Dispatcher's queue, offered
 * again when the pool {@link Changed}. A VM serves one function, one invocation at a time.
 *
 * <p>The decisions themselves are {@link PoolCore}'s, which the simulator runs too; this actor feeds it
 * the node's messages and carries out what it decides through one Worker per VM.
 */
public final class VmPool extends AbstractBehavior<VmPool.Command> {
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
  public static final Duration RECONSIDER_AFTER = Duration.ofMillis(100);

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

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final WorkerContext workers;
  private final PoolCore core;
  private final FailedRestores restores;
  /** The Worker of every VM that has been started and is not yet gone. */
  private final Map<String, ActorRef<Worker.Command>> workerOf = new HashMap<>();
  private final ActorRef<Worker.Event> workerEvents;
  private ActorRef<Event> dispatcher;

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
    this.ctx = ctx;
    this.timers = timers;
    this.workers = workers;
    this.workerEvents = ctx.messageAdapter(Worker.Event.class, FromWorker::new);
    this.core = new PoolCore(capacity, policies, new WorkerControl(), workers.nanoClock(), workers.metrics());
    this.restores = new FailedRestores(ctx, workers.sink(), policies.restoreRetries(), core.snapshots(), core.starts(),
        core.history(), core.metrics());
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
          core.snapshotsPublished(msg.published().byFunction());
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
          core.grantSlots();
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
    PoolCore.Offered offered = core.offer(offer.jobs());
    if (dispatcher != null) {
      dispatcher.tell(offered.answer());
    }
    if (offered.waits() && !timers.isTimerActive(RECONSIDER)) {
      timers.startSingleTimer(RECONSIDER, new Reconsider(), RECONSIDER_AFTER);
    }
    publish();
    return this;
  }

  // ---- what Workers say -----------------------------------------------------------------------

  private Behavior<Command> onWorkerEvent(Worker.Event event) {
    boolean changed = false;
    if (event instanceof Worker.Initialising) {
      core.starting(event.vmId(), VmState.INITIALISING);
    } else if (event instanceof Worker.Snapshotting) {
      core.starting(event.vmId(), VmState.SNAPSHOTTING);
    } else if (event instanceof Worker.Started started) {
      changed = core.started(started.vmId(), started.kind(), started.startNanos(), started.running());
    } else if (event instanceof Worker.Idle idle) {
      changed = core.idle(idle.vmId(), idle.runNanos());
    } else if (event instanceof Worker.RestoreFailed failed) {
      PoolVm vm = core.restoreFailed(failed.vmId());
      if (vm != null) {
        restores.failed(vm, failed);
      }
    } else if (event instanceof Worker.Gone gone) {
      workerOf.remove(gone.vmId());
      changed = core.gone(gone.vmId(), gone.reason());
    }
    core.grantSlots();
    if (changed) {
      changed();
    }
    publish();
    return this;
  }

  private void changed() {
    if (dispatcher != null) {
      dispatcher.tell(new Changed());
    }
  }

  // ---- snapshots, measurements, keep-alive, retirement ----------------------------------------

  private Behavior<Command> onMeasured(PerfManager.Measured measured) {
    if (measured instanceof PerfManager.HostAvailable host) {
      if (core.hostAvailable(host.availableMb())) {
        changed();
      }
    } else if (measured instanceof PerfManager.Footprint footprint) {
      core.footprint(footprint.vmId(), footprint.pssMb());
      publish();   // a footprint above the estimate raises the accounted memory
    }
    return this;
  }

  private Behavior<Command> onTakeSnapshot(TakeSnapshot msg) {
    if (!core.takeSnapshot(msg.function(), new SnapshotOrder(msg.format(), Optional.of(msg.replyTo())))) {
      msg.replyTo().tell(new SnapshotOutcome.Failed("the node has no room for another VM right now; retry"));
      return this;
    }
    publish();
    return this;
  }

  private Behavior<Command> onRetireFunction(RetireFunction msg) {
    core.retireFunction(msg.function(), msg.keepVersion());
    publish();
    return this;
  }

  private Behavior<Command> onKeepAliveTick() {
    if (core.keepAliveTick()) {
      publish();
    }
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus msg) {
    msg.replyTo().tell(core.status());
    return this;
  }

  private void publish() {
    core.publish();
  }

  /** The pool's decisions carried out by Workers, one per VM, and the SnapshotManager. */
  private final class WorkerControl implements VmControl {
    @Override
    public void start(Start start) {
      Behavior<Worker.Command> behavior = start.restores()
          ? Worker.restore(start.vmId(), start.function(), start.snapshot(), workers, workerEvents, start.job())
          : Worker.coldStart(start.vmId(), start.function(), workers, workerEvents, start.job(), start.snapshotOrder());
      ActorRef<Worker.Command> worker = ctx.spawn(behavior, start.vmId());
      ctx.watchWith(worker, new FromWorker(new Worker.Gone(start.vmId(), "worker stopped")));
      workerOf.put(start.vmId(), worker);
    }

    @Override
    public void run(String vmId, Job job) {
      workerOf.get(vmId).tell(new Worker.Run(job, StartKind.WARM));
    }

    @Override
    public void retire(String vmId, String reason) {
      ActorRef<Worker.Command> worker = workerOf.get(vmId);
      if (worker != null) {
        worker.tell(new Worker.Retire(reason));
      }
    }

    @Override
    public void keepRestoresReady(SnapshotRecord snapshot, NetworkPolicy network, int count) {
      VmRestore template = new VmRestore("prestart", workers.image(), snapshot.memoryMb(), snapshot.vcpus(),
          snapshot.files(), network);
      workers.io().execute(() -> workers.vmm().keepRestoresReady(template, count));
    }

    @Override
    public void snapshotBroken(SnapshotRecord snapshot, String reason) {
      workers.snapshots().tell(new SnapshotManager.RestoreFailed(snapshot.id(), snapshot.directory(), reason));
    }
  }

  private long now() {
    return workers.nanoClock().getAsLong();
  }
}
