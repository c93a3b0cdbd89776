package dev.faascell.worker;

import dev.faascell.invocation.Job;
import dev.faascell.guest.protocol.AgentConnection;
import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.guest.protocol.ProtocolException;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.HostUsage;
import dev.faascell.model.InvocationTrace;
import dev.faascell.perf.PerfManager;
import dev.faascell.perf.ProcessSampler;
import io.micrometer.core.instrument.Counter;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.StartKind;
import dev.faascell.model.Timing;
import dev.faascell.sink.Sink;
import dev.faascell.snapshot.SnapshotIntegrity;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.vmm.MemoryBacking;
import dev.faascell.vmm.SnapshotFiles;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmLaunch;
import dev.faascell.vmm.VmRestore;
import dev.faascell.vmm.VmmException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One microVM's life, as an explicit state machine (after OpenWhisk's ContainerProxy):
 * <pre>
 *   cold:     LAUNCHING → CONNECTING → BOOTING → INITIALIZING [→ SNAPSHOTTING] → IDLE ⇄ RUNNING → STOPPING
 *   restore:  RESTORING → RESUMING (clock, entropy) ──────────────────────────────→ IDLE ⇄ RUNNING → STOPPING
 * </pre>
 * A Worker is created when its VM's start got one of the node's start slots, so its start timeouts
 * count from there; it tells the pool when the start is done ({@link Started}), which frees the slot.
 * A restore that fails — a damaged snapshot, a guest that does not answer in time — hands its job back
 * to the pool ({@link RestoreFailed}), which decides between another restore and a cold boot.
 *
 * <p>The Worker owns its VM and the channel to the guest agent. Blocking work (starting, snapshotting
 * and stopping the VMM process, connecting) runs on the I/O executor; the guest's replies arrive from
 * a reader thread as messages; every phase that waits on the guest or the VMM has a timer, so a
 * silent guest is killed. A VM serves exactly one function, one invocation at a time. Each job handed
 * to a Worker ends in exactly one result at the Sink, and the VmPool hears when the VM is gone.
 */
public final class Worker extends AbstractBehavior<Worker.Command> {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final SecureRandom ENTROPY = new SecureRandom();

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

  private record Launched(VmInstance vm) implements Command {}

  private record Connected(VmInstance vm, AgentConnection connection) implements Command {}

  private record StartFailed(String reason, boolean snapshotBroken) implements Command {}

  private record GuestSaid(AgentConnection connection, GuestReply reply) implements Command {}

  private record ChannelBroken(AgentConnection connection, String reason, boolean protocolViolation)
      implements Command {}

  private record VmExited(VmInstance vm, int exitCode) implements Command {}

  private record PhaseTimedOut(Phase phase) implements Command {}

  private record Snapshotted(SnapshotFiles files) implements Command {}

  private record SnapshotNotTaken(String reason) implements Command {}

  private record VmStopped() implements Command {}

  enum Phase { LAUNCHING, CONNECTING, BOOTING, INITIALIZING, SNAPSHOTTING, RESTORING, RESUMING, IDLE, RUNNING, STOPPING }

  private static final String PHASE_TIMER = "phase";

  private final String vmId;
  private final FunctionSpec function;
  private final WorkerContext context;
  private final ActorRef<Event> pool;
  private final TimerScheduler<Command> timers;
  private final Handover handover = new Handover();
  private Optional<SnapshotOrder> snapshotOrder;
  private SnapshotRecord restoringFrom;
  private StartKind vmStartKind;

  private Phase phase = Phase.LAUNCHING;
  private VmInstance vm;
  private Path ramFile;
  private AgentConnection connection;
  private int pendingRequest;
  private Job job;
  private StartKind jobStartKind;
  private String retireReason;
  private boolean startInFlight;
  private Class<? extends HostRequest> pendingType;
  private boolean goneReported;

  private long startedAt;
  private long bootNanos;
  private long restoreNanos;
  private long initStartedAt;
  private long initNanos;
  private long runSentAt;
  private long acquiredAt;
  private long snapshotStartedAt;
  private long snapshotNanos;
  private HostUsage runStartUsage = HostUsage.NONE;

  /**
   * A Worker that cold-boots a VM for {@code function}, snapshots it after INIT if {@code snapshot} is
   * present, then runs {@code firstJob} if present.
   */
  public static Behavior<Command> coldStart(String vmId, FunctionSpec function, WorkerContext context,
                                           ActorRef<Event> pool, Optional<Job> firstJob,
                                           Optional<SnapshotOrder> snapshot) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Worker worker = new Worker(ctx, timers, vmId, function, context, pool, snapshot);
      firstJob.ifPresent(job -> worker.accept(job, StartKind.COLD));
      worker.launch();
      return worker;
    }));
  }

  /** A Worker that restores a VM from {@code snapshot}, then runs {@code firstJob} if present. */
  public static Behavior<Command> restore(String vmId, FunctionSpec function, SnapshotRecord snapshot,
                                          WorkerContext context, ActorRef<Event> pool, Optional<Job> firstJob) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Worker worker = new Worker(ctx, timers, vmId, function, context, pool, Optional.empty());
      firstJob.ifPresent(job -> worker.accept(job, StartKind.RESTORE));
      worker.restoreFrom(snapshot);
      return worker;
    }));
  }

  private Worker(ActorContext<Command> ctx, TimerScheduler<Command> timers, String vmId, FunctionSpec function,
                 WorkerContext context, ActorRef<Event> pool, Optional<SnapshotOrder> snapshotOrder) {
    super(ctx);
    this.timers = timers;
    this.vmId = vmId;
    this.function = function;
    this.context = context;
    this.pool = pool;
    this.snapshotOrder = snapshotOrder;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Run.class, this::onRun)
        .onMessage(Retire.class, this::onRetire)
        .onMessage(Launched.class, this::onLaunched)
        .onMessage(Connected.class, this::onConnected)
        .onMessage(StartFailed.class, this::onStartFailed)
        .onMessage(GuestSaid.class, this::onGuestSaid)
        .onMessage(ChannelBroken.class, this::onChannelBroken)
        .onMessage(VmExited.class, this::onVmExited)
        .onMessage(PhaseTimedOut.class, this::onTimeout)
        .onMessage(Snapshotted.class, this::onSnapshotted)
        .onMessage(SnapshotNotTaken.class, this::onSnapshotNotTaken)
        .onMessage(VmStopped.class, msg -> Behaviors.stopped())
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  // ---- starting: cold boot -------------------------------------------------------------------

  private void launch() {
    phase = Phase.LAUNCHING;
    vmStartKind = StartKind.COLD;
    startedAt = now();
    startTimer(Phase.BOOTING, context.settings().bootTimeout());
    MemoryBacking memory = new MemoryBacking.Anonymous();
    if (snapshotOrder.isPresent() && !roomForRamFile()) {
      log.warn("event=snapshot-skipped vm={} function={} reason=\"no room for a {} MiB RAM file in {}\"", vmId,
          function.name(), function.memoryMb(), context.ramDir());
      context.snapshots().tell(new SnapshotManager.SnapshotFailed(function, "no room for the RAM file in "
          + context.ramDir(), snapshotOrder.get().requester()));
      snapshotOrder = Optional.empty();
    }
    if (snapshotOrder.isPresent()) {
      ramFile = context.ramDir().resolve(vmId + ".ram");
      memory = new MemoryBacking.SharedFile(ramFile);
    }
    VmLaunch launch = new VmLaunch(vmId, context.image(), function.memoryMb(), function.vcpus(), memory);
    startVm(() -> {
      try {
        Files.createDirectories(context.ramDir());
        return context.vmm().launch(launch);
      } catch (VmmException | IOException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    });
  }

  /**
   * A guest whose RAM file outgrows a full tmpfs dies of SIGBUS: only back RAM with a file (to snapshot
   * it) when the file system has room for all of it, and for the snapshot's copy.
   */
  private boolean roomForRamFile() {
    try {
      Files.createDirectories(context.ramDir());
      long needed = 2L * function.memoryMb() << 20;
      return Files.getFileStore(context.ramDir()).getUsableSpace() >= needed;
    } catch (IOException e) {
      return false;
    }
  }

  private void startVm(Supplier<VmInstance> start) {
    startInFlight = true;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      VmInstance started = start.get();
      return handover.bringing(started, started::kill);
    }, context.io()), (instance, error) -> error == null ? new Launched(instance)
        : new StartFailed(rootMessage(error), rootCause(error) instanceof SnapshotDamaged));
  }

  /** The snapshot's files are missing or do not match their record: no attempt of it can succeed. */
  private static final class SnapshotDamaged extends RuntimeException {
    SnapshotDamaged(String message) {
      super(message);
    }
  }

  private Behavior<Command> onLaunched(Launched msg) {
    handover.received(msg.vm());
    startInFlight = false;
    vm = msg.vm();
    if (phase == Phase.STOPPING) {
      return stopVm();
    }
    VmInstance instance = vm;
    instance.exited().thenAccept(code -> getContext().getSelf().tell(new VmExited(instance, code)));
    if (context.measureHost()) {
      context.perf().tell(new PerfManager.Register(vmId, function.name().value(), instance));
    }
    if (phase == Phase.LAUNCHING) {
      phase = Phase.CONNECTING;
    }
    connect(instance, phase == Phase.RESTORING ? context.restoreTimeout() : context.settings().bootTimeout());
    return this;
  }

  private void connect(VmInstance instance, Duration timeout) {
    int maxFrame = context.settings().maxGuestFrameBytes();
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        AgentConnection connected =
            AgentConnection.connect(instance.channelSocket(), timeout, instance::isAlive, maxFrame);
        return handover.bringing(connected, connected::close);
      } catch (IOException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }, context.io()), (conn, error) -> error == null ? new Connected(instance, conn)
        : new StartFailed(rootMessage(error), false));
  }

  private Behavior<Command> onStartFailed(StartFailed msg) {
    startInFlight = false;
    if (phase == Phase.STOPPING) {
      return vm == null ? Behaviors.stopped() : this;
    }
    if (phase == Phase.RESTORING) {
      return restoreFailed(msg.reason(), msg.snapshotBroken());
    }
    return fail(FailureKind.VM_FAILURE, "the VM failed to start: " + msg.reason());
  }

  private Behavior<Command> onConnected(Connected msg) {
    handover.received(msg.connection());
    if (msg.vm() != vm) {
      msg.connection().close();   // a VM given up on while it connected
      return this;
    }
    connection = msg.connection();
    if (phase == Phase.STOPPING) {
      return stopVm();
    }
    startReader(connection);
    if (phase == Phase.RESTORING) {
      phase = Phase.RESUMING;
      return send(new HostRequest.SetClock(System.currentTimeMillis() * 1_000_000L));
    }
    phase = Phase.BOOTING;
    return send(new HostRequest.Hello());
  }

  private void startReader(AgentConnection conn) {
    ActorRef<Command> self = getContext().getSelf();
    Thread reader = new Thread(() -> {
      try {
        while (true) {
          self.tell(new GuestSaid(conn, conn.receive()));
        }
      } catch (ProtocolException e) {
        self.tell(new ChannelBroken(conn, "protocol violation: " + e.getMessage(), true));
      } catch (EOFException e) {
        self.tell(new ChannelBroken(conn, "the guest closed its channel", false));
      } catch (IOException e) {
        self.tell(new ChannelBroken(conn, "channel error: " + e.getMessage(), false));
      }
    }, "faascell-channel-" + vmId);
    reader.setDaemon(true);
    reader.start();
  }

  // ---- starting: restore ---------------------------------------------------------------------

  private void restoreFrom(SnapshotRecord snapshot) {
    restoringFrom = snapshot;
    vmStartKind = StartKind.RESTORE;
    phase = Phase.RESTORING;
    startedAt = now();
    startTimer(Phase.RESTORING, context.restoreTimeout());
    VmRestore restore = new VmRestore(vmId, context.image(), function.memoryMb(), function.vcpus(), snapshot.files());
    startVm(() -> {
      String problem = SnapshotIntegrity.problem(snapshot, false);
      if (problem != null) {
        throw new SnapshotDamaged("snapshot " + snapshot.id() + " is damaged: " + problem);
      }
      try {
        return context.vmm().restore(restore);
      } catch (VmmException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    });
  }

  private Behavior<Command> onResumeReply(GuestReply reply) {
    if (!(reply instanceof GuestReply.Ok)) {
      return restoreFailed("the restored guest answered " + kind(reply) + " to " + pendingType.getSimpleName());
    }
    if (pendingRequestWas(HostRequest.SetClock.class)) {
      byte[] entropy = new byte[64];
      ENTROPY.nextBytes(entropy);
      return send(new HostRequest.Reseed(entropy));
    }
    restoreNanos = now() - startedAt;
    timers.cancel(PHASE_TIMER);
    context.snapshots().tell(new SnapshotManager.RestoreSucceeded(restoringFrom.id()));
    log.debug("event=vm-restored vm={} function={} snapshot={} restore_ms={}", vmId, function.name(),
        restoringFrom.id(), restoreNanos / 1e6);
    return becomeIdleOrRun();
  }

  private Behavior<Command> restoreFailed(String reason) {
    return restoreFailed(reason, false);
  }

  /**
   * The restore did not give a working VM: the job goes back to the pool untouched (it decides whether
   * the next try is a restore or a cold boot, and whether the snapshot goes) and this VM is killed.
   */
  private Behavior<Command> restoreFailed(String reason, boolean snapshotBroken) {
    log.warn("event=restore-failed vm={} function={} snapshot={} broken={} reason=\"{}\"", vmId, function.name(),
        restoringFrom.id(), snapshotBroken, reason.replace('"', '\''));
    Optional<Job> unrun = Optional.ofNullable(job);
    job = null;
    pool.tell(new RestoreFailed(vmId, restoringFrom, reason, snapshotBroken, unrun));
    retireReason = "its restore failed: " + reason;
    return killVm();
  }

  // ---- the guest's replies -------------------------------------------------------------------

  private Behavior<Command> onGuestSaid(GuestSaid msg) {
    if (msg.connection() != connection || phase == Phase.STOPPING) {
      return this;
    }
    GuestReply reply = msg.reply();
    if (reply.requestId() != pendingRequest) {
      return violation("reply to request " + reply.requestId() + " while waiting for " + pendingRequest);
    }
    return switch (phase) {
      case BOOTING -> reply instanceof GuestReply.Ready ready ? onReady(ready) : violation("expected READY, got " + kind(reply));
      case INITIALIZING -> onInitReply(reply);
      case RESUMING -> onResumeReply(reply);
      case RUNNING -> onRunReply(reply);
      default -> violation(kind(reply) + " while " + phase);
    };
  }

  private Behavior<Command> onReady(GuestReply.Ready ready) {
    bootNanos = now() - startedAt;
    if (ready.protocolVersion() != 1) {
      return violation("guest speaks protocol " + ready.protocolVersion());
    }
    pool.tell(new Initialising(vmId));
    log.debug("event=vm-booted vm={} function={} boot_ms={} agent={}", vmId, function.name(), bootNanos / 1e6,
        ready.agentVersion());
    phase = Phase.INITIALIZING;
    initStartedAt = now();
    startTimer(Phase.INITIALIZING, context.settings().initTimeout());
    var code = function.code();
    return send(new HostRequest.Init(function.runtime().wireName(), function.handler(),
        code.format().name().toLowerCase(Locale.ROOT), code.fileName(), code.bytes(), function.env(),
        function.name().value(), function.memoryMb(), function.timeout().toMillis()));
  }

  private Behavior<Command> onInitReply(GuestReply reply) {
    if (reply instanceof GuestReply.Ok) {
      initNanos = now() - initStartedAt;
      timers.cancel(PHASE_TIMER);
      log.debug("event=vm-ready vm={} function={} boot_ms={} init_ms={}", vmId, function.name(), bootNanos / 1e6,
          initNanos / 1e6);
      return snapshotOrder.isPresent() ? snapshot(snapshotOrder.get()) : becomeIdleOrRun();
    }
    if (reply instanceof GuestReply.Error error) {
      return fail(FailureKind.INIT_ERROR, "the function failed to load: " + error.message(), error.stderrTail());
    }
    return violation("expected OK or ERROR to INIT, got " + kind(reply));
  }

  private Behavior<Command> onRunReply(GuestReply reply) {
    long resultAt = now();
    long runNanos = resultAt - runSentAt;
    timers.cancel(PHASE_TIMER);
    HostUsage usage = hostUsageSinceRunStart();
    Job done = job;
    InvocationResult result;
    boolean vmUsable = true;
    if (reply instanceof GuestReply.Result ok) {
      result = new InvocationResult.Completed(done.invocation().id(), function.name(), ok.output(), ok.stderrTail(),
          jobStartKind, vmId, timing(runNanos, ok.execNanos()), trace(resultAt, ok.execNanos(), ok.output().length, usage));
    } else if (reply instanceof GuestReply.Error error) {
      result = new InvocationResult.Failed(done.invocation().id(), function.name(), FailureKind.FUNCTION_ERROR,
          error.message(), error.stderrTail(), jobStartKind, vmId, timing(runNanos, error.execNanos()),
          trace(resultAt, error.execNanos(), 0, usage));
      vmUsable = !error.fatal();
    } else {
      return violation("expected RESULT or ERROR to RUN, got " + kind(reply));
    }
    job = null;
    // the pool hears first: once the caller has the result, its next invocation must find this VM idle
    Behavior<Command> next;
    if (vmUsable) {
      next = afterRun(runNanos);
    } else {
      retireReason = "the function's runtime died";
      next = stopVm();
    }
    context.sink().tell(new Sink.Deliver(done, result));
    return next;
  }

  // ---- snapshotting --------------------------------------------------------------------------

  /**
   * Takes the post-INIT snapshot: the function is loaded and no invocation has run in this VM yet, so
   * no caller's data can ever be in a snapshot.
   */
  private Behavior<Command> snapshot(SnapshotOrder order) {
    phase = Phase.SNAPSHOTTING;
    pool.tell(new Snapshotting(vmId));
    snapshotStartedAt = now();
    startTimer(Phase.SNAPSHOTTING, context.settings().initTimeout());
    VmInstance instance = vm;
    Path dir = context.stagingDir().resolve(vmId + "-" + Long.toHexString(ENTROPY.nextLong()));
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        Files.createDirectories(dir);
        return instance.snapshot(dir, order.format());
      } catch (VmmException | IOException e) {
        deleteQuietly(dir);
        throw new IllegalStateException(e.getMessage(), e);
      }
    }, context.io()), (files, error) -> error == null ? new Snapshotted(files) : new SnapshotNotTaken(rootMessage(error)));
    return this;
  }

  private Behavior<Command> onSnapshotted(Snapshotted msg) {
    snapshotNanos = now() - snapshotStartedAt;
    SnapshotOrder order = snapshotOrder.orElseThrow();
    snapshotOrder = Optional.empty();
    context.snapshots().tell(new SnapshotManager.Adopt(function, msg.files(), order.requester()));
    if (phase != Phase.SNAPSHOTTING) {
      return this;
    }
    timers.cancel(PHASE_TIMER);
    return becomeIdleOrRun();
  }

  /** A failed snapshot costs the node a faster restore later, never this invocation. */
  private Behavior<Command> onSnapshotNotTaken(SnapshotNotTaken msg) {
    SnapshotOrder order = snapshotOrder.orElseThrow();
    snapshotOrder = Optional.empty();
    context.snapshots().tell(new SnapshotManager.SnapshotFailed(function, msg.reason(), order.requester()));
    if (phase != Phase.SNAPSHOTTING) {
      return this;
    }
    timers.cancel(PHASE_TIMER);
    return vm != null && vm.isAlive() ? becomeIdleOrRun() : fail(FailureKind.VM_FAILURE, "the VM died while snapshotted");
  }

  // ---- running -------------------------------------------------------------------------------

  private Behavior<Command> onRun(Run msg) {
    boolean canAccept = job == null && phase != Phase.STOPPING && phase != Phase.RUNNING;
    if (!canAccept) {
      // the pool never does this; if it did, the job must still end
      context.sink().tell(new Sink.Deliver(msg.job(), InvocationResult.Failed.early(msg.job().invocation(),
          FailureKind.INTERNAL, "VM " + vmId + " was busy or stopping", now())));
      return this;
    }
    accept(msg.job(), msg.startKind());
    return phase == Phase.IDLE ? runJob() : this;
  }

  private void accept(Job newJob, StartKind startKind) {
    job = newJob;
    jobStartKind = startKind;
  }

  /** The start is done: the pool hears it (its slot is free) before the first invocation runs. */
  private Behavior<Command> becomeIdleOrRun() {
    pool.tell(new Started(vmId, vmStartKind, now() - startedAt, job != null));
    if (job != null) {
      return runJob();
    }
    phase = Phase.IDLE;
    return this;
  }

  private Behavior<Command> runJob() {
    phase = Phase.RUNNING;
    acquiredAt = now();
    startTimer(Phase.RUNNING, function.timeout());
    if (context.measureHost()) {
      runStartUsage = ProcessSampler.sample(vm);
    }
    runSentAt = now();
    return send(new HostRequest.Run(job.invocation().payload(), job.invocation().id()));
  }

  private Behavior<Command> afterRun(long runNanos) {
    if (retireReason != null) {
      return stopVm();
    }
    phase = Phase.IDLE;
    pool.tell(new Idle(vmId, runNanos));
    return this;
  }

  /** What the VMM process used since the RUN was sent (nothing when host measurement is off). */
  private HostUsage hostUsageSinceRunStart() {
    if (!context.measureHost() || vm == null) {
      return HostUsage.NONE;
    }
    return ProcessSampler.delta(runStartUsage, ProcessSampler.sample(vm));
  }

  /** The current job's trace record; stamps of stages it did not reach are 0. */
  private InvocationTrace trace(long resultAt, long execNanos, int outputBytes, HostUsage usage) {
    var invocation = job.invocation();
    boolean cold = jobStartKind == StartKind.COLD;
    boolean restored = jobStartKind == StartKind.RESTORE;
    boolean ran = resultAt > 0;
    return new InvocationTrace(invocation.receivedEpochMillis(), invocation.receivedNanos(), invocation.enqueuedNanos(),
        invocation.dequeuedNanos(), invocation.assignedNanos(), invocation.slotNanos(), ran ? acquiredAt : 0, ran ? runSentAt : 0, resultAt, 0,
        cold ? bootNanos : 0, restored ? restoreNanos : 0, cold ? initNanos : 0, cold ? snapshotNanos : 0, execNanos,
        restored ? restoringFrom.id() : null, restored ? restoringFrom.tier() : null, invocation.payload().length,
        outputBytes, usage);
  }

  private Timing timing(long runNanos, long execNanos) {
    var invocation = job.invocation();
    boolean cold = jobStartKind == StartKind.COLD;
    boolean restored = jobStartKind == StartKind.RESTORE;
    return new Timing(invocation.dequeuedNanos() - invocation.receivedNanos(), acquiredAt - invocation.dequeuedNanos(),
        cold ? bootNanos : 0, restored ? restoreNanos : 0, cold ? initNanos : 0, runNanos, execNanos, 0);
  }

  // ---- failures and stopping -----------------------------------------------------------------

  private Behavior<Command> onRetire(Retire msg) {
    retireReason = msg.reason();
    if (phase == Phase.IDLE) {
      return stopVm();
    }
    return this;   // after the current invocation, or as soon as the VM is up
  }

  private Behavior<Command> onChannelBroken(ChannelBroken msg) {
    if (msg.connection() != connection || phase == Phase.STOPPING) {
      return this;
    }
    countCrash(msg.protocolViolation() ? "protocol-violation" : "channel-lost");
    if (phase == Phase.RESUMING) {
      return restoreFailed("the restored guest " + msg.reason());
    }
    if (msg.protocolViolation()) {
      return violation(msg.reason());
    }
    return fail(FailureKind.VM_FAILURE, "lost the guest: " + msg.reason());
  }

  private Behavior<Command> onVmExited(VmExited msg) {
    if (msg.vm() != vm || phase == Phase.STOPPING) {
      return this;
    }
    countCrash("vmm-exited");
    if (phase == Phase.RESTORING || phase == Phase.RESUMING) {
      return restoreFailed("the restored VM exited (code " + msg.exitCode() + ")");
    }
    return fail(FailureKind.VM_FAILURE, "the VM exited (code " + msg.exitCode() + ") while " + describe(phase));
  }

  private Behavior<Command> onTimeout(PhaseTimedOut msg) {
    return switch (msg.phase()) {
      case RUNNING -> fail(FailureKind.TIMEOUT, "the function ran longer than its timeout of "
          + function.timeout().toMillis() + " ms; its VM was killed");
      case INITIALIZING -> fail(FailureKind.INIT_ERROR, "the function did not load within "
          + context.settings().initTimeout().toMillis() + " ms; its VM was killed");
      case RESTORING -> restoreFailed("the restored guest did not answer within "
          + context.restoreTimeout().toMillis() + " ms");
      case SNAPSHOTTING -> fail(FailureKind.VM_FAILURE, "the snapshot did not finish within "
          + context.settings().initTimeout().toMillis() + " ms; its VM was killed");
      default -> fail(FailureKind.VM_FAILURE, "the guest was not ready within "
          + context.settings().bootTimeout().toMillis() + " ms; its VM was killed");
    };
  }

  private Behavior<Command> violation(String what) {
    log.warn("event=guest-protocol-violation vm={} function={} detail=\"{}\"", vmId, function.name(), what);
    if (phase == Phase.RESUMING) {
      return restoreFailed("the restored guest broke the protocol: " + what);
    }
    return fail(FailureKind.VM_FAILURE, "the guest broke the channel protocol (" + what + "); its VM was killed");
  }

  private Behavior<Command> fail(FailureKind kind, String message) {
    return fail(kind, message, "");
  }

  /** Ends the current job (if any) with a failure and kills the VM. */
  private Behavior<Command> fail(FailureKind kind, String message, String stderrTail) {
    String detail = message;
    if (kind == FailureKind.VM_FAILURE && vm != null) {
      String diagnostics = vm.diagnostics();
      if (!diagnostics.isBlank()) {
        detail += " [" + diagnostics + "]";
      }
    }
    Job failed = job;
    InvocationResult result = null;
    if (failed != null) {
      long now = now();
      long runNanos = phase == Phase.RUNNING ? now - runSentAt : 0;
      if (phase != Phase.RUNNING) {
        acquiredAt = now;
      }
      boolean running = phase == Phase.RUNNING;
      result = new InvocationResult.Failed(failed.invocation().id(), function.name(), kind, detail, stderrTail,
          jobStartKind, vmId, timing(runNanos, 0), trace(running ? now : 0, 0, 0, running ? hostUsageSinceRunStart()
          : HostUsage.NONE));
      job = null;
    }
    log.info("event=vm-failed vm={} function={} invocation={} kind={} phase={} reason=\"{}\"", vmId, function.name(),
        failed == null ? "-" : failed.invocation().id(), kind.code(), phase, message.replace('"', '\''));
    retireReason = message;
    Behavior<Command> next = killVm();   // the pool hears before the caller does
    if (result != null) {
      context.sink().tell(new Sink.Deliver(failed, result));
    }
    return next;
  }

  private Behavior<Command> stopVm() {
    return end(false);
  }

  private Behavior<Command> killVm() {
    return end(true);
  }

  /** A VM that died on its own: the guest, its runtime or QEMU crashed (counted by cause). */
  private void countCrash(String cause) {
    Counter.builder("faascell.vmm.crashes").description("VMs that died or broke their channel on their own")
        .tag("cause", cause).register(context.metrics()).increment();
  }

  private Behavior<Command> end(boolean kill) {
    phase = Phase.STOPPING;
    timers.cancelAll();
    if (context.measureHost()) {
      context.perf().tell(new PerfManager.Unregister(vmId));
    }
    if (!goneReported) {
      goneReported = true;
      pool.tell(new Gone(vmId, retireReason == null ? "stopped" : retireReason));
    }
    if (connection != null) {
      connection.close();
    }
    if (vm == null) {
      // no VM yet: a start in flight comes back to onLaunched or onStartFailed, which end it
      return startInFlight ? this : Behaviors.stopped();
    }
    VmInstance instance = vm;
    Path ram = ramFile;
    long grace = context.settings().stopGrace().toMillis();
    getContext().pipeToSelf(CompletableFuture.runAsync(() -> {
      if (kill) {
        instance.kill();
      } else {
        instance.stop(grace);
      }
      deleteRamFile(ram);
    }, context.io()), (ok, error) -> new VmStopped());
    return this;
  }

  /** Also reached when the actor system shuts down: no VM (or its RAM file) may outlive its Worker. */
  private Behavior<Command> onPostStop() {
    handover.close();
    if (connection != null) {
      connection.close();
    }
    if (vm != null && vm.isAlive()) {
      vm.kill();
    }
    deleteRamFile(ramFile);
    return this;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private Behavior<Command> send(HostRequest request) {
    try {
      pendingRequest = connection.send(request);
      pendingType = request.getClass();
      return this;
    } catch (IOException e) {
      if (phase == Phase.RESUMING) {
        return restoreFailed("cannot write to the restored guest: " + e.getMessage());
      }
      return fail(FailureKind.VM_FAILURE, "cannot write to the guest: " + e.getMessage());
    }
  }

  private boolean pendingRequestWas(Class<? extends HostRequest> type) {
    return type.equals(pendingType);
  }

  private void startTimer(Phase timed, Duration after) {
    timers.startSingleTimer(PHASE_TIMER, new PhaseTimedOut(timed), after);
  }

  private long now() {
    return context.nanoClock().getAsLong();
  }

  private static void deleteRamFile(Path ram) {
    if (ram != null) {
      try {
        Files.deleteIfExists(ram);
      } catch (IOException e) {
        log.warn("event=ram-file-not-deleted file={} reason=\"{}\"", ram, e.getMessage());
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      dev.faascell.util.FileTrees.delete(dir);
    } catch (IOException ignored) {
      // a leftover staging directory is removed at the next start
    }
  }

  private static String describe(Phase phase) {
    return switch (phase) {
      case LAUNCHING, CONNECTING, BOOTING -> "booting";
      case RESTORING, RESUMING -> "restoring";
      case INITIALIZING -> "loading the function";
      case SNAPSHOTTING -> "being snapshotted";
      case RUNNING -> "running the function";
      case IDLE -> "idle";
      case STOPPING -> "stopping";
    };
  }

  private static String kind(GuestReply reply) {
    return reply.getClass().getSimpleName().toUpperCase(Locale.ROOT);
  }

  private static String rootMessage(Throwable error) {
    return String.valueOf(rootCause(error).getMessage());
  }

  private static Throwable rootCause(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
