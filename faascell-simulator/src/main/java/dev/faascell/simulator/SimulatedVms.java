package dev.faascell.simulator;

import dev.faascell.invocation.Job;
import dev.faascell.model.NetworkPolicy;
import dev.faascell.model.StartKind;
import dev.faascell.replay.arrivals.Seeds;
import dev.faascell.simulator.calibration.Calibration;
import dev.faascell.simulator.calibration.Costs;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.vmpool.VmControl;
import dev.faascell.vmpool.VmState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The VMs of a simulated node: what the pool's decisions start, run and stop, taking the times the
 * calibration draws. A start reports the same events a Worker does (initialising, snapshotting,
 * started, idle, gone), at the virtual times they would happen; a snapshot taken after a first boot
 * is published as the SnapshotManager would publish it. It also keeps the account the policy study
 * needs: how long each VM sat idle, and with how much memory.
 */
final class SimulatedVms implements VmControl {
  private final Simulator simulator;
  private final Calibration calibration;
  private final String runtime;
  private final Random random;
  private final Map<Integer, Costs> costsByMemory = new HashMap<>();
  /** When each idle VM became idle, and its memory. */
  private final Map<String, long[]> idleSince = new HashMap<>();
  private final Map<String, SnapshotRecord> snapshots = new HashMap<>();
  private final Map<String, Integer> memoryOf = new HashMap<>();
  private double idleMbNanos;
  private long retired;

  SimulatedVms(Simulator simulator, Calibration calibration, String runtime, long seed) {
    this.simulator = simulator;
    this.calibration = calibration;
    this.runtime = runtime;
    this.random = Seeds.random(seed, "simulated-costs");
  }

  private Costs costs(int memoryMb) {
    return costsByMemory.computeIfAbsent(memoryMb, mb -> calibration.costs(runtime, mb));
  }

  private static long nanos(double ms) {
    return Math.max(0, Math.round(ms * 1e6));
  }

  @Override
  public void start(Start start) {
    Events events = simulator.events();
    long now = simulator.now();
    Costs costs = costs(start.function().memoryMb());
    memoryOf.put(start.vmId(), start.function().memoryMb());
    if (start.restores()) {
      long restore = nanos(costs.restoreMs().sample(random));
      events.at(now + restore, t -> started(start, StartKind.RESTORE, 0, 0, restore));
      return;
    }
    long boot = nanos(costs.bootMs().sample(random));
    long init = nanos(costs.initMs().sample(random));
    long snapshot = start.snapshotOrder().isPresent() ? nanos(costs.snapshotMs().sample(random)) : 0;
    events.at(now + boot, t -> simulator.pool().starting(start.vmId(), VmState.INITIALISING));
    if (snapshot > 0) {
      events.at(now + boot + init, t -> simulator.pool().starting(start.vmId(), VmState.SNAPSHOTTING));
    }
    events.at(now + boot + init + snapshot, t -> {
      if (start.snapshotOrder().isPresent()) {
        publishSnapshot(start);
      }
      started(start, StartKind.COLD, boot, init + snapshot, 0);
    });
  }

  /** The VM is ready: the pool hears it started, and the job it started for, if any, runs. */
  private void started(Start start, StartKind kind, long boot, long init, long restore) {
    boolean running = start.job().isPresent();
    boolean changed = simulator.pool().started(start.vmId(), kind, boot + init + restore, running);
    if (changed && running) {
      runJob(start.vmId(), start.job().get(), kind, boot, init, restore, start.function().memoryMb());
    } else if (changed) {
      becameIdle(start.vmId(), simulator.now());
    }
    simulator.changed(changed);
  }

  @Override
  public void run(String vmId, Job job) {
    leftIdle(vmId, simulator.now());
    runJob(vmId, job, StartKind.WARM, 0, 0, 0, job.invocation().function().memoryMb());
  }

  private void runJob(String vmId, Job job, StartKind kind, long boot, long init, long restore, int memoryMb) {
    long run = nanos(simulator.work(job).durationMs() + costs(memoryMb).warmOverheadMs().sample(random));
    simulator.events().at(simulator.now() + run, t -> {
      simulator.finished(job, kind, vmId, boot, init, restore, run);
      boolean changed = simulator.pool().idle(vmId, run);
      if (changed) {
        becameIdle(vmId, t);
      }
      simulator.changed(changed);
    });
  }

  @Override
  public void retire(String vmId, String reason) {
    leftIdle(vmId, simulator.now());
    retired++;
    // a VM stops at once here; what it held comes back when the pool hears it is gone
    simulator.events().at(simulator.now(), t -> {
      memoryOf.remove(vmId);
      simulator.changed(simulator.pool().gone(vmId, reason));
    });
  }

  @Override
  public void keepRestoresReady(SnapshotRecord snapshot, NetworkPolicy network, int count) {
    // a kept-ready VMM shortens a restore; the calibrated restore times are measured with them
  }

  @Override
  public void snapshotBroken(SnapshotRecord snapshot, String reason) {
    // simulated snapshots never break
  }

  private void publishSnapshot(Start start) {
    var function = start.function();
    Instant at = Instant.EPOCH.plusNanos(simulator.now());
    snapshots.put(function.name().value() + "@" + function.version(), new SnapshotRecord("sim-" + start.vmId(),
        function.name(), function.version(), "simulated", SnapshotFormat.parse("shared-ram"), function.memoryMb(),
        function.vcpus(), "ram", Path.of("simulated", start.vmId()), 0, "", 0, "", at, Instant.EPOCH, 0));
    simulator.pool().snapshotsPublished(Map.copyOf(snapshots));
  }

  private void becameIdle(String vmId, long now) {
    Integer memoryMb = memoryOf.get(vmId);
    if (memoryMb != null) {
      idleSince.put(vmId, new long[] {now, memoryMb});
    }
  }

  private void leftIdle(String vmId, long now) {
    long[] since = idleSince.remove(vmId);
    if (since != null) {
      idleMbNanos += (double) (now - since[0]) * since[1];
    }
  }

  /** The run ended at {@code now}: VMs still idle count until then. */
  void closeIdleTime(long now) {
    for (String vmId : idleSince.keySet().toArray(String[]::new)) {
      leftIdle(vmId, now);
    }
  }

  double idleMbNanos() {
    return idleMbNanos;
  }

  long retired() {
    return retired;
  }
}
