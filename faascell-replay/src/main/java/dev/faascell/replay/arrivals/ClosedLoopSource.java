package dev.faascell.replay.arrivals;

import dev.faascell.replay.workload.WorkRequest;
import java.time.Duration;
import java.util.List;

/**
 * Closed-loop synthetic load: {@code clients} clients for {@code duration}, each invoking, waiting for
 * the reply, thinking for {@code think}, and again. Client {@code i} invokes
 * {@code functions[i mod functions.size()]}, so the load per function is fixed and nothing is random.
 */
public record ClosedLoopSource(int clients, Duration duration, Duration think, List<String> functions, WorkRequest work) {
  public ClosedLoopSource {
    functions = List.copyOf(functions);
    if (clients < 1) {
      throw new IllegalArgumentException("a closed loop needs at least one client, got " + clients);
    }
    if (functions.isEmpty()) {
      throw new IllegalArgumentException("a closed loop needs at least one function");
    }
    if (duration.isNegative() || duration.isZero() || think.isNegative()) {
      throw new IllegalArgumentException("the duration must be positive and the think time not negative");
    }
  }

  public String functionOf(int client) {
    return functions.get(client % functions.size());
  }
}
