package dev.faascell.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.config.NodeCapacity;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.Invocation;
import dev.faascell.policy.admission.QueuePolicy;
import dev.faascell.testing.ActorNode;
import dev.faascell.vmpool.PoolView;
import dev.faascell.vmpool.VmPool;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The Dispatcher's decision as the pure function it is: queue and capacity in, assignments out. */
class PlannerTest {
  private static final NodeCapacity NODE = new NodeCapacity(8, 4096, 100, 4);
  private static final FunctionSpec SHORT = ActorNode.function("short", "echo");
  private static final FunctionSpec LONG = ActorNode.function("long", "echo");

  private static TreeMap<Long, Pending> queue(FunctionSpec... functions) {
    TreeMap<Long, Pending> queue = new TreeMap<>();
    for (int i = 0; i < functions.length; i++) {
      Invocation invocation = Invocation.received("i" + i, functions[i], new byte[0], i);
      queue.put((long) i, new Pending(new Job(invocation, null), i, i));
    }
    return queue;
  }

  private static PoolView view(Map<String, Integer> idle, int freeSlots, int freeVcpus, Map<String, Integer> active) {
    return new PoolView(0, idle, freeSlots, 4096, idle.values().stream().mapToInt(Integer::intValue).sum(), 228, freeVcpus,
        active, 0, 0);
  }

  private static List<String> planned(TreeMap<Long, Pending> queue, PoolView view, QueuePolicy policy, int perFunction,
                                      Map<FunctionName, Double> expected) {
    return Planner.plan(queue, new Planner.Capacity(view), new Planner.Rules(NODE, policy, perFunction), expected).stream()
        .map(d -> d.pending().job().invocation().id()).toList();
  }

  @Test
  void fifoTakesInArrivalOrderWhileThereIsRoom() {
    var plan = planned(queue(LONG, SHORT, LONG), view(Map.of(), 2, 4, Map.of()), QueuePolicy.fifo(), 0, Map.of());
    assertThat(plan).containsExactly("i0", "i1");
  }

  @Test
  void aWarmCapableInvocationIsServedBeforeAnyIdleVmIsEvictedForANewOne() {
    // one slot-less node: the only room for LONG would be evicting SHORT's idle VM, which SHORT needs
    var plan = planned(queue(LONG, SHORT), view(Map.of(VmPool.keyOf(SHORT), 1), 0, 4, Map.of()), QueuePolicy.fifo(), 0,
        Map.of());
    assertThat(plan).containsExactly("i1");
  }

  @Test
  void aNewVmThatFitsOnceStoppingVmsAreGoneWaitsForThemInsteadOfEvictingMore() {
    PoolView stopping = new PoolView(0, Map.of("other@v", 1), 0, 0, 1, 228, 4, Map.of(), 1, 228);
    assertThat(planned(queue(LONG), stopping, QueuePolicy.fifo(), 0, Map.of())).isEmpty();
  }

  @Test
  void shortestExpectedJobFirstReordersByMeasuredRunTime() {
    Map<FunctionName, Double> expected = Map.of(LONG.name(), 900.0, SHORT.name(), 5.0);
    var plan = planned(queue(LONG, LONG, SHORT), view(Map.of(), 1, 4, Map.of()), QueuePolicy.shortestExpectedJobFirst(), 0,
        expected);
    assertThat(plan).containsExactly("i2");
  }

  @Test
  void aFunctionAtItsConcurrencyLimitIsPassedOverWithoutBlockingOthers() {
    var plan = planned(queue(LONG, LONG, SHORT), view(Map.of(), 8, 8, Map.of("long", 1)), QueuePolicy.fifo(), 2, Map.of());
    assertThat(plan).containsExactly("i0", "i2");
  }

  @Test
  void noFreeVcpusMeansNothingRunsEvenWarm() {
    var plan = planned(queue(SHORT), view(Map.of(VmPool.keyOf(SHORT), 1), 8, 0, Map.of()), QueuePolicy.fifo(), 0, Map.of());
    assertThat(plan).isEmpty();
  }
}
