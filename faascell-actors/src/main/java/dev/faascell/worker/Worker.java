package dev.faascell.worker;

import dev.faascell.dispatcher.Job;
import dev.faascell.guest.protocol.AgentConnection;
import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.guest.protocol.ProtocolException;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.StartKind;
import dev.faascell.model.Timing;
import dev.faascell.sink.Sink;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmLaunch;
import dev.faascell.vmm.VmmException;
import dev.faascell.vmpool.VmPool;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * LAUNCHING → CONNECTING → BOOTING → INITIALIZING → IDLE ⇄ RUNNING → STOPPING.
 *
 * <p>The Worker owns its VM and the channel to the guest agent. Blocking work (starting and stopping
 * the VMM process, connecting) runs on the I/O executor; the guest's replies arrive from a reader
 * thread as messages; every phase that waits on the guest has a timer, so a silent guest is killed.
 * A VM serves exactly one function, one invocation at a time. Whatever happens, each job handed to a
 * Worker ends in exactly one result at the Sink, and the VmPool hears when the VM is gone.
 */
public final class Worker extends AbstractBehavior<Worker.Command> {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  /** The Worker's protocol. */
  public sealed interface Command {}

  /** Run this job (the pool only sends it when the Worker said it is idle, or at creation). */
  public record Run(Job job, StartKind startKind) implements Command {}

  /** Stop the VM: now if idle, else after the current invocation. */
  public record Retire(String reason) implements Command {}

  private record Launched(VmInstance vm) implements Command {}

  private record Connected(AgentConnection connection) implements Command {}

  private record StartFailed(String reason) implements Command {}

  private record GuestSaid(GuestReply reply) implements Command {}

  private record ChannelBroken(String reason, boolean protocolViolation) implements Command {}

  private record VmExited(int exitCode) implements Command {}

  private record PhaseTimedOut(Phase phase) implements Command {}

  private record VmStopped() implements Command {}

  enum Phase { LAUNCHING, CONNECTING, BOOTING, INITIALIZING, IDLE, RUNNING, STOPPING }

  private static final String PHASE_TIMER = "phase";

  private final String vmId;
  private final FunctionSpec function;
  private final WorkerContext context;
  private final ActorRef<VmPool.Command> pool;
  private final TimerScheduler<Command> timers;

  private Phase phase = Phase.LAUNCHING;
  private VmInstance vm;
  private AgentConnection connection;
  private int pendingRequest;
  private Job job;
  private StartKind jobStartKind;
  private String retireReason;
  private boolean launchInFlight;
  private boolean goneReported;

  private long launchStartedAt;
  private long bootNanos;
  private long initStartedAt;
  private long initNanos;
  private long runSentAt;
  private long acquiredAt;

  /** A Worker that cold-boots a VM for {@code function}, then runs {@code firstJob} if present. */
  public static Behavior<Command> coldStart(String vmId, FunctionSpec function, WorkerContext context,
                                           ActorRef<VmPool.Command> pool, Optional<Job> firstJob) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Worker worker = new Worker(ctx, timers, vmId, function, context, pool);
      firstJob.ifPresent(job -> worker.accept(job, StartKind.COLD));
      worker.launch();
      return worker;
    }));
  }

  private Worker(ActorContext<Command> ctx, TimerScheduler<Command> timers, String vmId, FunctionSpec function,
                 WorkerContext context, ActorRef<VmPool.Command> pool) {
    super(ctx);
    this.timers = timers;
    this.vmId = vmId;
    this.function = function;
    this.context = context;
    this.pool = pool;
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
        .onMessage(VmStopped.class, msg -> Behaviors.stopped())
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  // ---- starting ------------------------------------------------------------------------------

  private void launch() {
    launchStartedAt = context.nanoClock().getAsLong();
    startTimer(Phase.BOOTING, context.settings().bootTimeout());
    VmLaunch launch = new VmLaunch(vmId, context.image(), function.memoryMb(), function.vcpus(), Optional.empty());
    launchInFlight = true;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        return context.vmm().launch(launch);
      } catch (VmmException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }, context.io()), (instance, error) -> error == null ? new Launched(instance) : new StartFailed(rootMessage(error)));
  }

  private Behavior<Command> onLaunched(Launched msg) {
    launchInFlight = false;
    vm = msg.vm();
    if (phase == Phase.STOPPING) {
      return stopVm();
    }
    phase = Phase.CONNECTING;
    vm.exited().thenAccept(code -> getContext().getSelf().tell(new VmExited(code)));
    Duration timeout = context.settings().bootTimeout();
    int maxFrame = context.settings().maxGuestFrameBytes();
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        return AgentConnection.connect(vm.channelSocket(), timeout, vm::isAlive, maxFrame);
      } catch (IOException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }, context.io()), (conn, error) -> error == null ? new Connected(conn) : new StartFailed(rootMessage(error)));
    return this;
  }

  private Behavior<Command> onStartFailed(StartFailed msg) {
    launchInFlight = false;
    if (phase == Phase.STOPPING) {
      return vm == null ? Behaviors.stopped() : this;
    }
    return fail(FailureKind.VM_FAILURE, "the VM failed to start: " + msg.reason());
  }

  private Behavior<Command> onConnected(Connected msg) {
    connection = msg.connection();
    if (phase == Phase.STOPPING) {
      return stopVm();
    }
    startReader();
    phase = Phase.BOOTING;
    return send(new HostRequest.Hello());
  }

  private void startReader() {
    AgentConnection conn = connection;
    ActorRef<Command> self = getContext().getSelf();
    Thread reader = new Thread(() -> {
      try {
        while (true) {
          self.tell(new GuestSaid(conn.receive()));
        }
      } catch (ProtocolException e) {
        self.tell(new ChannelBroken("protocol violation: " + e.getMessage(), true));
      } catch (EOFException e) {
        self.tell(new ChannelBroken("the guest closed its channel", false));
      } catch (IOException e) {
        self.tell(new ChannelBroken("channel error: " + e.getMessage(), false));
      }
    }, "faascell-channel-" + vmId);
    reader.setDaemon(true);
    reader.start();
  }

  // ---- the guest's replies -------------------------------------------------------------------

  private Behavior<Command> onGuestSaid(GuestSaid msg) {
    GuestReply reply = msg.reply();
    if (phase == Phase.STOPPING) {
      return this;
    }
    if (reply.requestId() != pendingRequest) {
      return violation("reply to request " + reply.requestId() + " while waiting for " + pendingRequest);
    }
    return switch (phase) {
      case BOOTING -> reply instanceof GuestReply.Ready ready ? onReady(ready) : violation("expected READY, got " + kind(reply));
      case INITIALIZING -> onInitReply(reply);
      case RUNNING -> onRunReply(reply);
      default -> violation(kind(reply) + " while " + phase);
    };
  }

  private Behavior<Command> onReady(GuestReply.Ready ready) {
    bootNanos = context.nanoClock().getAsLong() - launchStartedAt;
    if (ready.protocolVersion() != 1) {
      return violation("guest speaks protocol " + ready.protocolVersion());
    }
    log.debug("event=vm-booted vm={} function={} boot_ms={} agent={}", vmId, function.name(), bootNanos / 1e6,
        ready.agentVersion());
    phase = Phase.INITIALIZING;
    initStartedAt = context.nanoClock().getAsLong();
    startTimer(Phase.INITIALIZING, context.settings().initTimeout());
    var code = function.code();
    return send(new HostRequest.Init(function.runtime().wireName(), function.handler(),
        code.format().name().toLowerCase(java.util.Locale.ROOT), code.fileName(), code.bytes(), function.env()));
  }

  private Behavior<Command> onInitReply(GuestReply reply) {
    if (reply instanceof GuestReply.Ok) {
      initNanos = context.nanoClock().getAsLong() - initStartedAt;
      timers.cancel(PHASE_TIMER);
      log.debug("event=vm-ready vm={} function={} boot_ms={} init_ms={}", vmId, function.name(), bootNanos / 1e6,
          initNanos / 1e6);
      return becomeIdleOrRun();
    }
    if (reply instanceof GuestReply.Error error) {
      return fail(FailureKind.INIT_ERROR, "the function failed to load: " + error.message(), error.stderrTail());
    }
    return violation("expected OK or ERROR to INIT, got " + kind(reply));
  }

  private Behavior<Command> onRunReply(GuestReply reply) {
    long runNanos = context.nanoClock().getAsLong() - runSentAt;
    timers.cancel(PHASE_TIMER);
    Job done = job;
    InvocationResult result;
    boolean vmUsable = true;
    if (reply instanceof GuestReply.Result ok) {
      result = new InvocationResult.Completed(done.invocation().id(), function.name(), ok.output(), ok.stderrTail(),
          jobStartKind, vmId, timing(runNanos, ok.execNanos()));
    } else if (reply instanceof GuestReply.Error error) {
      result = new InvocationResult.Failed(done.invocation().id(), function.name(), FailureKind.FUNCTION_ERROR,
          error.message(), error.stderrTail(), jobStartKind, vmId, timing(runNanos, error.execNanos()));
      vmUsable = !error.fatal();
    } else {
      return violation("expected RESULT or ERROR to RUN, got " + kind(reply));
    }
    job = null;
    // the pool hears first: once the caller has the result, its next invocation must find this VM idle
    Behavior<Command> next;
    if (vmUsable) {
      next = afterRun();
    } else {
      retireReason = "the function's runtime died";
      next = stopVm();
    }
    context.sink().tell(new Sink.Deliver(done, result));
    return next;
  }

  // ---- running -------------------------------------------------------------------------------

  private Behavior<Command> onRun(Run msg) {
    boolean canAccept = job == null && phase != Phase.STOPPING && phase != Phase.RUNNING;
    if (!canAccept) {
      // the pool never does this; if it did, the job must still end
      context.sink().tell(new Sink.Deliver(msg.job(), InvocationResult.Failed.early(msg.job().invocation(),
          FailureKind.INTERNAL, "VM " + vmId + " was busy or stopping", 0)));
      return this;
    }
    accept(msg.job(), msg.startKind());
    return phase == Phase.IDLE ? runJob() : this;
  }

  private void accept(Job newJob, StartKind startKind) {
    job = newJob;
    jobStartKind = startKind;
  }

  private Behavior<Command> becomeIdleOrRun() {
    if (job != null) {
      return runJob();
    }
    phase = Phase.IDLE;
    pool.tell(new VmPool.WorkerIdle(vmId, bootNanos + initNanos));
    return this;
  }

  private Behavior<Command> runJob() {
    phase = Phase.RUNNING;
    acquiredAt = context.nanoClock().getAsLong();
    startTimer(Phase.RUNNING, function.timeout());
    runSentAt = context.nanoClock().getAsLong();
    return send(new HostRequest.Run(job.invocation().payload()));
  }

  private Behavior<Command> afterRun() {
    if (retireReason != null) {
      return stopVm();
    }
    phase = Phase.IDLE;
    pool.tell(new VmPool.WorkerIdle(vmId, bootNanos + initNanos));
    return this;
  }

  private Timing timing(long runNanos, long execNanos) {
    var invocation = job.invocation();
    boolean cold = jobStartKind == StartKind.COLD;
    return new Timing(invocation.dequeuedNanos() - invocation.receivedNanos(), acquiredAt - invocation.dequeuedNanos(),
        cold ? bootNanos : 0, 0, cold ? initNanos : 0, runNanos, execNanos, 0);
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
    if (phase == Phase.STOPPING) {
      return this;
    }
    if (msg.protocolViolation()) {
      return violation(msg.reason());
    }
    return fail(FailureKind.VM_FAILURE, "lost the guest: " + msg.reason());
  }

  private Behavior<Command> onVmExited(VmExited msg) {
    if (phase == Phase.STOPPING) {
      return this;
    }
    return fail(FailureKind.VM_FAILURE, "the VM exited (code " + msg.exitCode() + ") while " + describe(phase));
  }

  private Behavior<Command> onTimeout(PhaseTimedOut msg) {
    if (msg.phase() == Phase.RUNNING) {
      return fail(FailureKind.TIMEOUT, "the function ran longer than its timeout of " + function.timeout().toMillis()
          + " ms; its VM was killed");
    }
    if (msg.phase() == Phase.INITIALIZING) {
      return fail(FailureKind.INIT_ERROR, "the function did not load within " + context.settings().initTimeout().toMillis()
          + " ms; its VM was killed");
    }
    return fail(FailureKind.VM_FAILURE, "the guest was not ready within " + context.settings().bootTimeout().toMillis()
        + " ms; its VM was killed");
  }

  private Behavior<Command> violation(String what) {
    log.warn("event=guest-protocol-violation vm={} function={} detail=\"{}\"", vmId, function.name(), what);
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
      long now = context.nanoClock().getAsLong();
      long runNanos = phase == Phase.RUNNING ? now - runSentAt : 0;
      if (phase != Phase.RUNNING) {
        acquiredAt = now;
      }
      result = new InvocationResult.Failed(failed.invocation().id(), function.name(), kind, detail, stderrTail,
          jobStartKind, vmId, timing(runNanos, 0));
      job = null;
    }
    log.info("event=vm-failed vm={} function={} kind={} phase={} reason=\"{}\"", vmId, function.name(), kind.code(),
        phase, message.replace('"', '\''));
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

  private Behavior<Command> end(boolean kill) {
    phase = Phase.STOPPING;
    timers.cancelAll();
    if (!goneReported) {
      goneReported = true;
      pool.tell(new VmPool.WorkerGone(vmId, retireReason == null ? "stopped" : retireReason));
    }
    if (connection != null) {
      connection.close();
    }
    if (vm == null) {
      // no VM yet: a launch in flight comes back to onLaunched or onStartFailed, which end it
      return launchInFlight ? this : Behaviors.stopped();
    }
    VmInstance instance = vm;
    long grace = context.settings().stopGrace().toMillis();
    getContext().pipeToSelf(CompletableFuture.runAsync(() -> {
      if (kill) {
        instance.kill();
      } else {
        instance.stop(grace);
      }
    }, context.io()), (ok, error) -> new VmStopped());
    return this;
  }

  /** Also reached when the actor system shuts down: no VM may outlive its Worker. */
  private Behavior<Command> onPostStop() {
    if (connection != null) {
      connection.close();
    }
    if (vm != null && vm.isAlive()) {
      vm.kill();
    }
    return this;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private Behavior<Command> send(HostRequest request) {
    try {
      pendingRequest = connection.send(request);
      return this;
    } catch (IOException e) {
      return fail(FailureKind.VM_FAILURE, "cannot write to the guest: " + e.getMessage());
    }
  }

  private void startTimer(Phase timed, Duration after) {
    timers.startSingleTimer(PHASE_TIMER, new PhaseTimedOut(timed), after);
  }

  private static String describe(Phase phase) {
    return switch (phase) {
      case LAUNCHING, CONNECTING, BOOTING -> "booting";
      case INITIALIZING -> "loading the function";
      case RUNNING -> "running the function";
      case IDLE -> "idle";
      case STOPPING -> "stopping";
    };
  }

  private static String kind(GuestReply reply) {
    return reply.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}
