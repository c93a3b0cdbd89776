package dev.faascell.worker;

import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.invocation.Job;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.HostUsage;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.StartKind;
import dev.faascell.perf.PerfManager;
import dev.faascell.sink.Sink;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.util.Failures;
import dev.faascell.vmm.SnapshotFiles;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One microVM's life, as a state machine after OpenWhisk's ContainerProxy: each state is a behaviour
 * holding the data that state needs.
 * <pre>
 *   cold boot:  starting → booting → initialising [→ snapshotting] → idle ⇄ running → stopping
 *   restore:    starting → resuming ─────────────────────────────→ idle ⇄ running → stopping
 * </pre>
 * A Worker is created when its VM's start got one of the node's start slots, so its start timeouts
 * count from there; it tells the pool when the start is done ({@link Started}), which frees the slot.
 * A restore that fails — a damaged snapshot, a guest that does not answer in time — hands its job back
 * to the pool ({@link RestoreFailed}), which decides between another restore and a cold boot.
 *
 * <p>The Worker drives two ports and never blocks: the VMM, whose verbs ({@link ColdBoot},
 * {@link Restore}, {@link TakeSnapshot}, stopping) run on the I/O executor and come back as messages,
 * and the {@link GuestSession}, which owns the wire. Every state that waits on the guest or the VMM has
 * a timer, so a silent guest is killed. A VM serves exactly one function, one invocation at a time.
 * Each job handed to a Worker ends in exactly one result at the Sink, and the pool hears when the VM is
 * gone — before the caller hears of a failure.
 */
public final class Worker {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  /** The Worker's protocol. */
  public sealed interface Command {}

  /** Run this job (the pool only sends it when the Worker said it is idle, or at creation). */
  public record Run(Job job, StartKind startKind) implements Command {}

  /** Stop the VM: now if idle, else after the current invocation. */
  public record Retire(String reason) implements Command {}

  /** What the Worker tells the pool about its VM. */
  public sealed interface Event {
    String vmId();
  }

  /** The guest booted; the function is loading (cold starts). */
  public record Initialising(String vmId) implements Event {}

  /** The booted VM is being snapshotted after INIT. */
  public record Snapshotting(String vmId) implements Event {}

  /**
   * The start is done: the VM is restored, or booted with its function loaded (and snapshotted), and its
   * start slot is free; it now runs its first invocation ({@code running}) or is idle.
   *
   * @param startNanos the start's duration from its slot (what a later start of this kind is expected to take)
   */
  public record Started(String vmId, StartKind kind, long startNanos, boolean running) implements Event {}

  /** An invocation finished in {@code runNanos} and the VM is idle. */
  public record Idle(String vmId, long runNanos) implements Event {}

  /**
   * The restore did not give a working VM, which is being killed; {@code job}, if it had one, was not
   * run and is the pool's again.
   *
   * @param snapshotBroken the snapshot itself failed (missing or damaged files), not just this attempt
   */
  public record RestoreFailed(String vmId, SnapshotRecord snapshot, String reason, boolean snapshotBroken,
                              Optional<Job> job) implements Event {}

  /** The VM is gone (stopped, killed, crashed); its resources are free. */
  public record Gone(String vmId, String reason) implements Event {}

  // what the Worker's ports and its timer tell it (package-private: the verbs' own states handle some)

  record VmUp(LiveVm vm) implements Command {}

  record StartFailed(String reason, boolean snapshotBroken) implements Command {}

  record GuestReplied(GuestSession.Exchange exchange) implements Command {}

  record GuestLost(GuestSession.Lost lost) implements Command {}

  record VmExited(int exitCode) implements Command {}

  record TimedOut() implements Command {}

  record Snapshotted(SnapshotFiles files, SnapshotOrder order) implements Command {}

  record SnapshotNotTaken(String reason, SnapshotOrder order) implements Command {}

  record VmStopped() implements Command {}

  /** How the state a failure hits ends: the job it fails (if any), or a restore handing its job back. */
  interface Failure {
    Behavior<Command> of(FailureKind kind, String reason);
  }

  private static final String STATE_TIMER = "state";

  final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  final String vmId;
  final FunctionSpec function;
  final WorkerContext context;
  final ActorRef<Event> pool;
  private final Handover handover = new Handover();
  private final GuestSession.Listener guest;
  /** Set by Retire, in whatever state: the VM stops as soon as it is idle. */
  private String retireReason;

  /**
   * A Worker that cold-boots a VM for {@code function}, snapshots it after INIT if {@code snapshot} is
   * present, then runs {@code firstJob} if present.
   */
  public static Behavior<Command> coldStart(String vmId, FunctionSpec function, WorkerContext context,
                                           ActorRef<Event> pool, Optional<Job> firstJob,
                                           Optional<SnapshotOrder> snapshot) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Worker worker = new Worker(ctx, timers, vmId, function, context, pool);
      return worker.boot(new Start(StartCost.cold(worker.now()),
          firstJob.map(job -> Running.waiting(job, StartKind.COLD)), snapshot));
    }));
  }

  /** A Worker that restores a VM from {@code snapshot}, then runs {@code firstJob} if present. */
  public static Behavior<Command> restore(String vmId, FunctionSpec function, SnapshotRecord snapshot,
                                          WorkerContext context, ActorRef<Event> pool, Optional<Job> firstJob) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Worker worker = new Worker(ctx, timers, vmId, function, context, pool);
      return worker.restore(new Start(StartCost.restore(snapshot, worker.now()),
          firstJob.map(job -> Running.waiting(job, StartKind.RESTORE)), Optional.empty()));
    }));
  }

  private Worker(ActorContext<Command> ctx, TimerScheduler<Command> timers, String vmId, FunctionSpec function,
                 WorkerContext context, ActorRef<Event> pool) {
    this.ctx = ctx;
    this.timers = timers;
    this.vmId = vmId;
    this.function = function;
    this.context = context;
    this.pool = pool;
    ActorRef<Command> self = ctx.getSelf();
    this.guest = heard -> self.tell(heard instanceof GuestSession.Exchange exchange ? new GuestReplied(exchange)
        : new GuestLost((GuestSession.Lost) heard));
  }

  // ---- starting ------------------------------------------------------------------------------

  private Behavior<Command> boot(Start start) {
    startTimer(context.settings().bootTimeout());
    boolean ramInFile = start.order().isPresent();
    startVm(() -> ColdBoot.launch(vmId, function, context, ramInFile, guest));
    return starting(start);
  }

  private Behavior<Command> restore(Start start) {
    startTimer(context.restoreTimeout());
    SnapshotRecord snapshot = start.cost().restoredFrom();
    startVm(() -> Restore.load(vmId, function, snapshot, context, guest));
    return starting(start);
  }

  private void startVm(Supplier<LiveVm> start) {
    ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
      LiveVm vm = start.get();
      return handover.bringing(vm, () -> onIo(() -> vm.end(true, 0)));
    }, context.io()), (vm, error) -> error == null ? new VmUp(vm)
        : new StartFailed(Failures.rootMessage(error), StartFailure.brokeTheSnapshot(error)));
  }

  /** The VMM is starting the VM and the agent's channel is being connected. */
  private Behavior<Command> starting(Start start) {
    Failure failure = startFailure(start, null);
    return common(Behaviors.receive(Command.class)
        .onMessage(VmUp.class, up -> vmUp(start, up.vm()))
        .onMessage(StartFailed.class, failed -> {
          startFailed(start, null, FailureKind.VM_FAILURE, "the VM failed to start: " + failed.reason(),
              failed.snapshotBroken());
          return Behaviors.stopped();   // nothing is left to wait for: the start came back
        }), null, failure, startDeadline(start));
  }

  Deadline startDeadline(Start start) {
    return start.cost().kind() == StartKind.RESTORE
        ? new Deadline(FailureKind.VM_FAILURE, "the restored guest did not answer within "
            + context.restoreTimeout().toMillis() + " ms")
        : new Deadline(FailureKind.VM_FAILURE, "the guest was not ready within "
            + context.settings().bootTimeout().toMillis() + " ms; its VM was killed");
  }

  private Behavior<Command> vmUp(Start start, LiveVm vm) {
    handover.received(vm);
    ActorRef<Command> self = ctx.getSelf();
    vm.instance().exited().thenAccept(code -> self.tell(new VmExited(code)));
    if (context.measureHost()) {
      context.perf().tell(new PerfManager.Register(vmId, function.name().value(), vm.instance()));
    }
    if (start.cost().kind() == StartKind.RESTORE) {
      return Restore.vmUp(this, start, vm);
    }
    Start started = start;
    if (start.order().isPresent() && vm.ramFile().isEmpty()) {
      log.warn("event=snapshot-skipped vm={} function={} reason=\"no room for a {} MiB RAM file in {}\"", vmId,
          function.name(), function.memoryMb(), context.ramDir());
      context.snapshots().tell(new SnapshotManager.SnapshotFailed(function, "no room for the RAM file in "
          + context.ramDir(), start.order().get().requester()));
      started = start.withoutOrder();
    }
    vm.session().request(ColdBoot.hello());
    return ColdBoot.booting(this, started, vm);
  }

  /** The start is done: the pool hears it (its slot is free) before the first invocation runs. */
  Behavior<Command> started(Start start, LiveVm vm) {
    pool.tell(new Started(vmId, start.cost().kind(), now() - start.cost().startedAt(), start.first().isPresent()));
    return start.first().isPresent() ? run(vm, start.cost(), start.first().get()) : idle(vm, start.cost());
  }

  /**
   * A start failed: a restore hands its job back to the pool, which decides whether the next try is a
   * restore or a cold boot and whether the snapshot goes; a cold boot fails its job.
   */
  private Behavior<Command> startFailed(Start start, LiveVm vm, FailureKind kind, String reason,
                                        boolean snapshotBroken) {
    if (start.cost().kind() != StartKind.RESTORE) {
      return fail(kind, reason, "", vm, start.cost(), start.first());
    }
    SnapshotRecord snapshot = start.cost().restoredFrom();
    log.warn("event=restore-failed vm={} function={} snapshot={} broken={} reason=\"{}\"", vmId, function.name(),
        snapshot.id(), snapshotBroken, reason.replace('"', '\''));
    pool.tell(new RestoreFailed(vmId, snapshot, reason, snapshotBroken, start.first().map(Running::job)));
    retireReason = "its restore failed: " + reason;
    return stop(vm, true, Optional.empty());
  }

  // ---- serving -------------------------------------------------------------------------------

  private Behavior<Command> idle(LiveVm vm, StartCost cost) {
    if (retireReason != null) {
      return stop(vm, false, Optional.empty());
    }
    Failure failure = (kind, reason) -> fail(kind, reason, "", vm, cost, Optional.empty());
    return common(Behaviors.receive(Command.class)
        .onMessage(Run.class, msg -> run(vm, cost, Running.waiting(msg.job(), msg.startKind())))
        .onMessage(Retire.class, msg -> {
          retireReason = msg.reason();
          return stop(vm, false, Optional.empty());
        }), vm, failure, null);
  }

  private Behavior<Command> run(LiveVm restoredOrNot, StartCost cost, Running waiting) {
    startTimer(function.timeout());
    long now = now();
    Running running = waiting.sent(now, now);
    restoredOrNot.session().request(restoredOrNot.runRequest(running.job().invocation(), context));
    LiveVm vm = restoredOrNot.resumed();
    Failure failure = (kind, reason) -> fail(kind, reason, "", vm, cost, Optional.of(running));
    return common(Behaviors.receive(Command.class)
        .onMessage(GuestReplied.class, msg -> ran(vm, cost, running, msg, failure)), vm, failure,
        Deadline.functionTimeout(function));
  }

  /** The guest answered the RUN: its round trip is the one the session timed on the wire. */
  Behavior<Command> ran(LiveVm vm, StartCost cost, Running running, GuestReplied msg, Failure failure) {
    stopTimer();
    GuestSession.Exchange exchange = msg.exchange();
    Running onWire = running.sent(running.acquiredAt(), exchange.sentAt());
    long resultAt = exchange.repliedAt();
    InvocationResult result;
    boolean vmUsable = true;
    if (msg.exchange().reply() instanceof GuestReply.Result ok) {
      result = onWire.completed(function, vmId, cost, ok.output(), ok.stderrTail(), ok.execNanos(), resultAt,
          exchange.usage());
    } else if (msg.exchange().reply() instanceof GuestReply.Error error) {
      // a guest that could not apply a RUN's clock or entropy failed, not the function (which did not run)
      FailureKind kind = error.kind().equals("resume") ? FailureKind.VM_FAILURE : FailureKind.FUNCTION_ERROR;
      result = onWire.failed(function, vmId, cost, kind, error.message(), error.stderrTail(), error.execNanos(),
          resultAt, exchange.usage());
      vmUsable = !error.fatal();
    } else {
      return violation(failure, "expected RESULT or ERROR to RUN, got " + GuestSession.kind(msg.exchange().reply()));
    }
    // the pool hears first: once the caller has the result, its next invocation must find this VM idle
    Behavior<Command> next;
    if (!vmUsable) {
      retireReason = "the function's runtime died";
      next = stop(vm, false, Optional.empty());
    } else if (retireReason != null) {
      next = stop(vm, false, Optional.empty());
    } else {
      pool.tell(new Idle(vmId, resultAt - onWire.sentAt()));
      next = idle(vm, cost);
    }
    context.sink().tell(new Sink.Deliver(running.job(), result));
    return next;
  }

  // ---- what every live state handles ---------------------------------------------------------

  /**
   * Completes a state's behaviour with what every state before stopping handles the same way (after the
   * state's own handlers, which come first): a job it cannot take, retirement, the guest's channel or the
   * VMM failing, the state's timer, and the actor's end.
   *
   * @param vm       the state's VM, null before it is up
   * @param deadline what the state's timer means; null if the state has none
   */
  Behavior<Command> common(BehaviorBuilder<Command> state, LiveVm vm, Failure failure, Deadline deadline) {
    return state
        .onMessage(Run.class, msg -> refuse(msg, "was busy or starting"))
        .onMessage(Retire.class, msg -> {
          retireReason = msg.reason();   // after the current invocation, or as soon as the VM is up
          return Behaviors.same();
        })
        .onMessage(GuestLost.class, msg -> {
          GuestSession.Lost lost = msg.lost();
          if (lost.protocolViolation()) {
            return violation(failure, lost.reason());
          }
          countCrash("channel-lost");
          return failure.of(FailureKind.VM_FAILURE, "lost the guest: " + lost.reason());
        })
        .onMessage(VmExited.class, msg -> {
          countCrash("vmm-exited");
          return failure.of(FailureKind.VM_FAILURE, "the VM exited (code " + msg.exitCode() + ")");
        })
        .onMessage(TimedOut.class, msg -> deadline == null ? Behaviors.same()
            : failure.of(deadline.kind(), deadline.reason()))
        .onSignal(PostStop.class, signal -> postStop(vm))
        .build();
  }

  /** A job this VM cannot take: the pool never sends one, but if it did, the job must still end. */
  private Behavior<Command> refuse(Run run, String why) {
    context.sink().tell(new Sink.Deliver(run.job(), InvocationResult.Failed.early(run.job().invocation(),
        FailureKind.INTERNAL, "VM " + vmId + " " + why, now())));
    return Behaviors.same();
  }

  /**
   * The guest broke the protocol, on the wire (seen by the session) or in a reply of the wrong type for
   * the state (seen here): counted as a crash whichever layer caught it, so the metric shows every case.
   */
  Behavior<Command> violation(Failure failure, String what) {
    countCrash("protocol-violation");
    log.warn("event=guest-protocol-violation vm={} function={} detail=\"{}\"", vmId, function.name(), what);
    return failure.of(FailureKind.VM_FAILURE, "the guest broke the channel protocol (" + what + "); its VM was killed");
  }

  /** A VM that died on its own: the guest, its runtime or QEMU crashed (counted by cause). */
  private void countCrash(String cause) {
    Counter.builder("faascell.vmm.crashes").description("VMs that died or broke their channel on their own")
        .tag("cause", cause).register(context.metrics()).increment();
  }

  // ---- failing and stopping ------------------------------------------------------------------

  /** Ends {@code job} (if any) with a failure and kills the VM; the pool hears before the caller does. */
  Behavior<Command> fail(FailureKind kind, String message, String stderrTail, LiveVm vm, StartCost cost,
                                 Optional<Running> job) {
    log.info("event=vm-failed vm={} function={} invocation={} kind={} reason=\"{}\"", vmId, function.name(),
        job.map(r -> r.job().invocation().id()).orElse("-"), kind.code(), message.replace('"', '\''));
    retireReason = message;
    long failedAt = now();
    Optional<Function<VmEvidence, Sink.Deliver>> casualty = job.map(running -> evidence -> new Sink.Deliver(
        running.job(), running.failed(function, vmId, cost, kind, message + evidence.diagnostics(kind), stderrTail, 0,
        failedAt, evidence.usage())));
    return stop(vm, true, casualty);
  }

  /** What a failed VM leaves for its job's error record: its last console and VMM lines, what the run used. */
  private record VmEvidence(String diagnostics, HostUsage usage) {
    String diagnostics(FailureKind kind) {
      return kind == FailureKind.VM_FAILURE && !diagnostics.isBlank() ? " [" + diagnostics + "]" : "";
    }
  }

  /**
   * Stops the VM — killed, or asked to quit within the grace — on the I/O executor, then the Worker. The
   * pool hears now; a job that fails with the VM is delivered once its evidence is read, before the VM goes.
   *
   * @param vm null if no VM is up yet: a start still in flight is ended when it comes back
   */
  private Behavior<Command> stop(LiveVm vm, boolean kill, Optional<Function<VmEvidence, Sink.Deliver>> casualty) {
    timers.cancelAll();
    if (context.measureHost()) {
      context.perf().tell(new PerfManager.Unregister(vmId));
    }
    pool.tell(new Gone(vmId, retireReason == null ? "stopped" : retireReason));
    if (vm == null) {
      casualty.ifPresent(deliver -> context.sink().tell(deliver.apply(new VmEvidence("", HostUsage.NONE))));
      return stopping();
    }
    long grace = context.settings().stopGrace().toMillis();
    ctx.pipeToSelf(CompletableFuture.runAsync(() -> {
      casualty.ifPresent(deliver -> context.sink().tell(deliver.apply(
          new VmEvidence(vm.instance().diagnostics(), vm.session().usageSinceLastRun()))));
      vm.end(kill, grace);
    }, context.io()), (ok, error) -> new VmStopped());
    return stopping();
  }

  /**
   * The VM is going away, or never came up: a start still in flight is ended when it comes back, a
   * snapshot still being written is still handed over, and new jobs are refused.
   */
  private Behavior<Command> stopping() {
    return Behaviors.receive(Command.class)
        .onMessage(VmStopped.class, msg -> Behaviors.stopped())
        .onMessage(StartFailed.class, msg -> Behaviors.stopped())
        .onMessage(VmUp.class, up -> {
          handover.received(up.vm());
          ctx.pipeToSelf(CompletableFuture.runAsync(() -> up.vm().end(true, 0), context.io()),
              (ok, error) -> new VmStopped());
          return Behaviors.same();
        })
        .onMessage(Run.class, msg -> refuse(msg, "was stopping"))
        .onMessage(Snapshotted.class, taken -> {
          TakeSnapshot.handOver(this, taken);
          return Behaviors.same();
        })
        .onMessage(SnapshotNotTaken.class, notTaken -> {
          TakeSnapshot.handOver(this, notTaken);
          return Behaviors.same();
        })
        .onAnyMessage(msg -> Behaviors.same())   // the guest's and the VMM's last words: the VM is going anyway
        .onSignal(PostStop.class, signal -> postStop(null))   // the VM's end is already on its way
        .build();
  }

  /** Also reached when the actor system shuts down: no VM (or its RAM file) may outlive its Worker. */
  private Behavior<Command> postStop(LiveVm vm) {
    handover.close();
    if (vm != null && vm.instance().isAlive()) {
      onIo(() -> vm.end(true, 0));
    }
    return Behaviors.same();
  }

  /** Ends a VM off the actor's thread; if the node is already past its executor, here (nothing else waits then). */
  private void onIo(Runnable end) {
    try {
      context.io().execute(end);
    } catch (RejectedExecutionException shutDown) {
      end.run();
    }
  }

  // ---- timers --------------------------------------------------------------------------------

  /** Starts the state's timer (a state has one at most); {@link #stopTimer} when it is no longer needed. */
  void startTimer(Duration after) {
    timers.startSingleTimer(STATE_TIMER, new TimedOut(), after);
  }

  void stopTimer() {
    timers.cancel(STATE_TIMER);
  }

  /** A failure while starting: a restore hands its job back, a cold boot fails its job. */
  Failure startFailure(Start start, LiveVm vm) {
    return (kind, reason) -> startFailed(start, vm, kind, reason, false);
  }

  long now() {
    return context.nanoClock().getAsLong();
  }
}
