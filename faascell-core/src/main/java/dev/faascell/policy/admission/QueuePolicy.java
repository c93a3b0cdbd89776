package dev.faascell.policy.admission;

import dev.faascell.model.FunctionName;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which the Dispatcher offers waiting invocations to the VmPool. Whatever the order, an
 * invocation that can run warm never waits behind one that needs a new VM, and the queue's bound,
 * timeout and per-function concurrency limit apply (faascell.dispatcher).
 */
public interface QueuePolicy {
  String name();

  /**
   * @param arrivalOrder  the queue, oldest first
   * @param expectedRunMs each function's measured warm run time (moving average), where known
   */
  List<QueuedInvocation> order(List<QueuedInvocation> arrivalOrder, Map<FunctionName, Double> expectedRunMs);

  /** First come, first served. */
  static QueuePolicy fifo() {
    return new QueuePolicy() {
      public String name() {
        return "fifo";
      }

      public List<QueuedInvocation> order(List<QueuedInvocation> arrivalOrder, Map<FunctionName, Double> expectedRunMs) {
        return arrivalOrder;
      }
    };
  }

  /**
   * Shortest expected job first, by each function's measured warm run time; functions never measured
   * go first (so that they get measured), ties in arrival order.
   */
  static QueuePolicy shortestExpectedJobFirst() {
    return new QueuePolicy() {
      public String name() {
        return "sejf";
      }

      public List<QueuedInvocation> order(List<QueuedInvocation> arrivalOrder, Map<FunctionName, Double> expectedRunMs) {
        return arrivalOrder.stream()
            .sorted(Comparator.<QueuedInvocation>comparingDouble(q -> expectedRunMs.getOrDefault(q.function(), 0.0))
                .thenComparingLong(QueuedInvocation::arrival))
            .toList();
      }
    };
  }
}
