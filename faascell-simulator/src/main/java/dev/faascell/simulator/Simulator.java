package dev.faascell.simulator;

import dev.faascell.dispatcher.DispatchQueue;
import dev.faascell.invocation.Job;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.Invocation;
import dev.faascell.model.RuntimeKind;
import dev.faascell.model.StartKind;
import dev.faascell.replay.arrivals.ClosedLoopSource;
import dev.faascell.replay.arrivals.ScheduledInvocation;
import dev.faascell.replay.driver.StatusSample;
import dev.faascell.replay.workload.SyntheticFunction;
import dev.faascell.replay.workload.WorkRequest;
import dev.faascell.replay.workload.WorkloadCode;
import dev.faascell.vmpool.PoolCore;
import dev.faascell.vmpool.PoolStatus;
import dev.faascell.vmpool.VmPool;
import dev.faascell.vmpool.VmStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A discrete-event simulation of one node: the node's own {@link PoolCore} and {@link DispatchQueue}
 * (and through them the configured policies), driven by arrivals on a virtual clock, with VM starts
 * and runs that take what the calibration says ({@link SimulatedVms}). Single-threaded and seeded:
 * the same inputs give the same run. The Dispatcher's and the pool's timers become events: the
 * keep-alive check, the queue timeout, a decision to wait for a busy VM taken again.
 */
public final class Simulator {
  /** The simulation's own CPU time is its cost: on a shared machine the wall clock also counts others' work. */
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  private final SimulationSettings settings;
  private final Map<String, FunctionSpec> functions = new HashMap<>();
  private final Events events = new Events();
  private final DispatchQueue queue;
  private final SimulatedVms vms;
  private final PoolCore pool;
  private final SimulationListener listener;
  private final Map<String, Arrived> waiting = new HashMap<>();
  private long now;
  private long processed;
  private long invocations;
  private long nextIndex;
  private boolean reconsiderPending;
  private boolean expiryPending;
  private boolean ticking;
  /** The keep-alive check goes on at least until here, so idle VMs are held (and counted) to the trace's end. */
  private long horizonNanos;
  private final long expiryEveryNanos;
  /** Called with the end time of each invocation of a closed loop's client, to send its next. */
  private final Map<String, LongConsumer> onEnd = new HashMap<>();
  private long cold;
  private long restore;
  private long warm;
  private long failed;

  /** An invocation in the node: what it asked for and when it came. */
  record Arrived(long index, String function, long arrivalNanos, WorkRequest work, String client) {}

  public Simulator(SimulationSettings settings, List<SyntheticFunction> deployed, SimulationListener listener) {
    this.settings = settings;
    this.listener = listener;
    byte[] code = WorkloadCode.python().getBytes(StandardCharsets.UTF_8);
    for (SyntheticFunction function : deployed) {
      functions.put(function.name(), new FunctionSpec(FunctionName.of(function.name()), RuntimeKind.PYTHON,
          "main.handle", CodeBundle.file("main.py", code), function.memoryMb(), 1, Duration.ofMillis(function.timeoutMs()),
          Map.of()));
    }
    this.queue = new DispatchQueue(settings.dispatcher(), settings.queue());
    this.vms = new SimulatedVms(this, settings.calibration(), settings.runtime(), settings.seed());
    // the simulator has no scrapes: its meters only count, in a registry nobody reads
    this.pool = new PoolCore(settings.capacity(), settings.policies(), vms, () -> now, new SimpleMeterRegistry());
    long timeout = settings.dispatcher().queueTimeout().toMillis();
    this.expiryEveryNanos = Duration.ofMillis(Math.max(10, Math.min(250, timeout / 10))).toNanos();
  }

  /**
   * Runs an open-loop schedule, read one invocation at a time; returns the totals.
   *
   * @param horizon the end of the trace's window: idle VMs are kept (and their memory counted) at least until then
   */
  public SimulationTotals run(Iterator<ScheduledInvocation> arrivals, Duration horizon, SimulationProgress progress) {
    horizonNanos = horizon.toNanos();
    if (arrivals.hasNext()) {
      scheduleArrival(arrivals);
    }
    return loop(progress);
  }

  /** Runs a closed loop: each client invokes, waits for its end, thinks, and invokes again until the duration. */
  public SimulationTotals run(ClosedLoopSource source, SimulationProgress progress) {
    long end = source.duration().toNanos();
    horizonNanos = end;
    long think = source.think().toNanos();
    for (int client = 0; client < source.clients(); client++) {
      String name = "client-" + client;
      String function = source.functionOf(client);
      LongConsumer send = new LongConsumer() {
        @Override
        public void accept(long at) {
          if (at < end) {
            events.at(at, t -> arrive(function, source.work(), name));
          }
        }
      };
      onEnd.put(name, at -> send.accept(at + think));
      send.accept(0);
    }
    return loop(progress);
  }

  private void scheduleArrival(Iterator<ScheduledInvocation> arrivals) {
    ScheduledInvocation next = arrivals.next();
    events.at(next.offsetNanos(), t -> {
      arrive(next.function(), next.work(), null);
      if (arrivals.hasNext()) {
        scheduleArrival(arrivals);
      }
    });
  }

  private SimulationTotals loop(SimulationProgress progress) {
    long wallStart = System.nanoTime();
    long cpuStart = CPU.getCurrentThreadCpuTime();
    startTicking();
    long statusEvery = settings.statusEvery().toNanos();
    long nextStatus = 0;
    while (!events.isEmpty()) {
      long time = events.nextTime();
      while (statusEvery > 0 && nextStatus <= time) {
        now = nextStatus;
        listener.sampled(sample());
        nextStatus += statusEvery;
      }
      now = time;
      events.poll().happen(now);
      processed++;
      if ((processed & 0xFFFF) == 0) {
        progress.update(invocations, now);
      }
    }
    vms.closeIdleTime(now);
    progress.finish(invocations, now);
    return new SimulationTotals(invocations, cold, restore, warm, failed, vms.retired(), vms.idleMbNanos(), now,
        System.nanoTime() - wallStart, CPU.getCurrentThreadCpuTime() - cpuStart, processed);
  }

  /** The keep-alive check runs while anything is left to happen. */
  private void startTicking() {
    if (!ticking) {
      ticking = true;
      events.at(now + settings.policies().keepAliveCheck().toNanos(), this::keepAliveTick);
    }
  }

  private void keepAliveTick(long at) {
    pool.keepAliveTick();
    if (events.isEmpty() && at >= horizonNanos) {
      ticking = false;   // the run is over: nothing left to arrive, start, run or stop
      return;
    }
    events.at(at + settings.policies().keepAliveCheck().toNanos(), this::keepAliveTick);
  }

  // ---- the Dispatcher's part -------------------------------------------------------------------

  private void arrive(String function, WorkRequest work, String client) {
    FunctionSpec spec = functions.get(function);
    if (spec == null) {
      throw new IllegalArgumentException("invocation of " + function + ", which the simulation did not deploy");
    }
    long index = nextIndex++;
    String id = Long.toString(index);
    Arrived arrived = new Arrived(index, function, now, work, client);
    startTicking();
    if (queue.full()) {
      end(arrived, FailureKind.QUEUE_FULL.code(), null, null, 0, 0, 0, 0);
      return;
    }
    waiting.put(id, arrived);
    queue.add(new Job(Invocation.received(id, spec, null, now), null).enqueued(now), now);
    offer();
  }

  /** Offers the queue to the pool, as the Dispatcher does whenever the queue or the pool changed. */
  void offer() {
    List<Job> jobs = queue.nextOffer(now);
    if (jobs.isEmpty()) {
      return;
    }
    PoolCore.Offered offered = pool.offer(jobs);
    for (DispatchQueue.Refusal refusal : queue.answered(offered.answer())) {
      end(waiting.remove(refusal.job().invocation().id()), refusal.kind().code(), null, null, 0, 0, 0, 0);
    }
    if (offered.waits() && !reconsiderPending) {
      reconsiderPending = true;
      events.at(now + VmPool.RECONSIDER_AFTER.toNanos(), t -> {
        reconsiderPending = false;
        offer();
      });
    }
    if (queue.size() > 0 && !expiryPending) {
      expiryPending = true;
      events.at(now + expiryEveryNanos, this::expire);
    }
  }

  private void expire(long at) {
    expiryPending = false;
    for (Job job : queue.expired(at)) {
      end(waiting.remove(job.invocation().id()), FailureKind.QUEUE_TIMEOUT.code(), null, null, 0, 0, 0, 0);
    }
    if (queue.size() > 0) {
      expiryPending = true;
      events.at(at + expiryEveryNanos, this::expire);
    }
  }

  // ---- what the simulated VMs report -----------------------------------------------------------

  Events events() {
    return events;
  }

  long now() {
    return now;
  }

  PoolCore pool() {
    return pool;
  }

  /** What a job asked of its function. */
  WorkRequest work(Job job) {
    return waiting.get(job.invocation().id()).work();
  }

  /** The pool changed: the Dispatcher offers again. */
  void changed(boolean changed) {
    if (changed) {
      offer();
    }
  }

  /** A job ran to its end on {@code vmId}. */
  void finished(Job job, StartKind kind, String vmId, long bootNanos, long initNanos, long restoreNanos,
                long runNanos) {
    Arrived arrived = waiting.remove(job.invocation().id());
    Invocation invocation = job.invocation();
    long slotWait = invocation.slotNanos() == 0 ? 0 : invocation.slotNanos() - invocation.assignedNanos();
    end(arrived, "ok", kind, vmId, bootNanos, initNanos, restoreNanos, runNanos, slotWait,
        invocation.dequeuedNanos() - invocation.enqueuedNanos());
    queue.finished(invocation.id(), invocation.functionName(), kind, runNanos);
  }

  private void end(Arrived arrived, String outcome, StartKind kind, String vmId, long boot, long init, long restored,
                   long run) {
    end(arrived, outcome, kind, vmId, boot, init, restored, run, 0, now - arrived.arrivalNanos());
  }

  private void end(Arrived arrived, String outcome, StartKind kind, String vmId, long boot, long init, long restored,
                   long run, long slotWait, long queued) {
    invocations++;
    if (kind == StartKind.COLD) {
      cold++;
    } else if (kind == StartKind.RESTORE) {
      restore++;
    } else if (kind == StartKind.WARM) {
      warm++;
    } else {
      failed++;
    }
    listener.ended(new SimulatedInvocation(arrived.index(), arrived.function(), arrived.arrivalNanos(), now, outcome,
        kind, vmId, queued, slotWait, boot, init, restored, run, arrived.work().durationMs(), arrived.work().memoryMb()));
    if (arrived.client() != null) {
      onEnd.get(arrived.client()).accept(now);
    }
  }

  private StatusSample sample() {
    PoolStatus status = pool.status();
    int starting = 0;
    int busy = 0;
    int idle = 0;
    int stopping = 0;
    for (VmStatus vm : status.vms()) {
      switch (vm.state()) {
        case BUSY -> busy++;
        case IDLE -> idle++;
        case STOPPING -> stopping++;
        default -> starting++;
      }
    }
    return new StatusSample(now / 1e6, status.memoryAccountedMb(), status.memoryCapacityMb(), status.vms().size(),
        starting, busy, idle, stopping, queue.size());
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "simulator at %.3f s, %d invocations", now / 1e9, invocations);
  }
}
