package dev.faascell.policy.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.model.FunctionName;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueuePolicyTest {
  private static final FunctionName SLOW = FunctionName.of("slow");
  private static final FunctionName FAST = FunctionName.of("fast");
  private static final FunctionName NEW = FunctionName.of("new");
  private final List<QueuedInvocation> arrivals = List.of(new QueuedInvocation(1, SLOW, 10),
      new QueuedInvocation(2, FAST, 20), new QueuedInvocation(3, SLOW, 30), new QueuedInvocation(4, NEW, 40),
      new QueuedInvocation(5, FAST, 50));
  private final Map<FunctionName, Double> expectedRunMs = Map.of(SLOW, 900.0, FAST, 12.5);

  @Test
  void fifoKeepsArrivalOrder() {
    assertThat(QueuePolicy.fifo().order(arrivals, expectedRunMs)).isEqualTo(arrivals);
  }

  @Test
  void shortestExpectedJobFirstRunsUnmeasuredThenShortFunctionsAndKeepsArrivalOrderAmongEquals() {
    assertThat(QueuePolicy.shortestExpectedJobFirst().order(arrivals, expectedRunMs)).extracting(QueuedInvocation::arrival)
        .containsExactly(4L, 2L, 5L, 1L, 3L);
  }
}
