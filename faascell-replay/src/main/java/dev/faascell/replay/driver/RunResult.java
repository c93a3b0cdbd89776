package dev.faascell.replay.driver;

import java.time.Instant;
import java.util.List;

/**
 * What a replay recorded: one record per invocation, in index order, and the node's status once per
 * interval.
 *
 * @param statusPollFailures status polls that got no usable answer (they leave a gap in the samples)
 */
public record RunResult(Instant startedAt, double elapsedMs, List<InvocationRecord> invocations,
                        List<StatusSample> status, int statusPollFailures) {
  public RunResult {
    invocations = List.copyOf(invocations);
    status = List.copyOf(status);
  }

  public long lateCount() {
    return invocations.stream().filter(InvocationRecord::late).count();
  }
}
