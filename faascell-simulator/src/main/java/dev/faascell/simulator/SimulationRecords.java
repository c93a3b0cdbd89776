package dev.faascell.simulator;

import dev.faascell.client.ReplyTimings;
import dev.faascell.model.FailureKind;
import dev.faascell.replay.driver.InvocationRecord;
import dev.faascell.replay.driver.RunResult;
import dev.faascell.replay.driver.StatusSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A simulation's results in the replay's record format, so that its results directory is a replay's
 * (invocations.csv, status.csv, summary.json, report.html) and {@code faascell report} overlays the
 * two. An invocation's latency is the node's: arrival to result, as the replay measures it less the
 * HTTP round trip on loopback.
 */
public final class SimulationRecords implements SimulationListener {
  private final List<InvocationRecord> invocations = new ArrayList<>();
  private final List<StatusSample> status = new ArrayList<>();

  @Override
  public void ended(SimulatedInvocation i) {
    boolean ok = i.succeeded();
    int httpStatus = ok ? 200 : Arrays.stream(FailureKind.values()).filter(k -> k.code().equals(i.outcome()))
        .mapToInt(FailureKind::httpStatus).findFirst().orElse(500);
    double latencyMs = i.latencyNanos() / 1e6;
    ReplyTimings timings = ok ? new ReplyTimings(i.queueNanos() / 1e6,
        (i.slotWaitNanos() + i.bootNanos() + i.initNanos() + i.restoreNanos()) / 1e6, i.bootNanos() / 1e6,
        i.restoreNanos() / 1e6, i.initNanos() / 1e6, i.runNanos() / 1e6, i.requestedDurationMs(), latencyMs)
        : ReplyTimings.NONE;
    invocations.add(new InvocationRecord((int) i.index(), i.function(), i.arrivalNanos() / 1e6, i.arrivalNanos() / 1e6,
        0, false, i.requestedDurationMs(), i.requestedMemoryMb(), httpStatus, ok ? "" : i.outcome(), "",
        i.startKind() == null ? "" : i.startKind().wireName(), i.vmId() == null ? "" : i.vmId(), timings, latencyMs));
  }

  @Override
  public void sampled(StatusSample sample) {
    status.add(sample);
  }

  /** The run as a replay's result: by index, its elapsed time the virtual time simulated. */
  public RunResult result(SimulationTotals totals) {
    List<InvocationRecord> byIndex = new ArrayList<>(invocations);
    byIndex.sort(Comparator.comparingInt(InvocationRecord::index));
    return new RunResult(Instant.EPOCH, totals.virtualNanos() / 1e6, byIndex, status, 0);
  }
}
