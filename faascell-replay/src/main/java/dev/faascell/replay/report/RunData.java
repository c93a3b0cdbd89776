package dev.faascell.replay.report;

import dev.faascell.replay.driver.InvocationRecord;
import dev.faascell.replay.driver.StatusSample;
import java.util.List;

/** One run as a report shows it: its name (its directory's), how it was made and what it recorded. */
public record RunData(String name, RunDescription description, String startedAt, double elapsedMs,
                      List<InvocationRecord> invocations, List<StatusSample> status, int statusPollFailures) {
  public RunData {
    invocations = List.copyOf(invocations);
    status = List.copyOf(status);
  }

  public Summary summary() {
    return Summary.of(invocations, status, statusPollFailures);
  }
}
