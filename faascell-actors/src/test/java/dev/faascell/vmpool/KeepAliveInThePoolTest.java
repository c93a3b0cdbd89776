package dev.faascell.vmpool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.config.FaascellConfig.DispatcherSettings;
import dev.faascell.config.NodeCapacity;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.StartKind;
import dev.faascell.policy.keepalive.GreedyDualKeepAlive;
import dev.faascell.policy.keepalive.HybridHistogramKeepAlive;
import dev.faascell.policy.keepalive.NoKeepAlive;
import dev.faascell.policy.snapshot.SnapshotPolicy;
import dev.faascell.testing.ActorNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Keep-alive policies applied by the pool: evictions by the policy's choice, run-and-done, pre-warming. */
class KeepAliveInThePoolTest {
  private static final DispatcherSettings QUEUE = new DispatcherSettings(16, Duration.ofSeconds(10), Duration.ofSeconds(1), 0);

  private static double count(ActorNode node, String meter) {
    return node.metrics.find(meter).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Test
  void greedyDualEvictsTheRarelyUsedFunctionUnderMemoryPressure() throws Exception {
    // room for two VMs: a popular function and a rare one are idle, a third function needs room
    try (ActorNode node = new ActorNode(NodeCapacity.of(2, 4096, 100, 64), QUEUE, new GreedyDualKeepAlive(),
        SnapshotPolicy.never(), 1L << 30)) {
      FunctionSpec popular = ActorNode.function("popular", "echo");
      FunctionSpec rare = ActorNode.function("rare", "echo");
      node.invokeAndWait(rare, "x");
      for (int i = 0; i < 5; i++) {
        node.invokeAndWait(popular, "x");
      }
      node.invokeAndWait(ActorNode.function("newcomer", "echo"), "x");
      assertThat(node.status().vms()).extracting(VmStatus::function).containsExactlyInAnyOrder("popular", "newcomer");
      assertThat(count(node, "faascell.vm.evictions")).isEqualTo(1);
      var again = (InvocationResult.Completed) node.invokeAndWait(popular, "x");
      assertThat(again.startKind()).isEqualTo(StartKind.WARM);
    }
  }

  @Test
  void noKeepAliveStopsEveryVmWhenItIsIdle() throws Exception {
    try (ActorNode node = new ActorNode(NodeCapacity.of(4, 4096, 100, 64), QUEUE, new NoKeepAlive(),
        SnapshotPolicy.never(), 1L << 30)) {
      FunctionSpec echo = ActorNode.function("echo", "echo");
      node.invokeAndWait(echo, "x");
      node.awaitNoLiveVms();
      assertThat(((InvocationResult.Completed) node.invokeAndWait(echo, "x")).startKind()).isEqualTo(StartKind.COLD);
    }
  }

  @Test
  void hybridHistogramUnloadsAfterEachInvocationAndPrewarmsBeforeTheNext() throws Exception {
    var settings = new HybridHistogramKeepAlive.Settings(Duration.ofMillis(100), 50, 3, 5, 99, 0.1, Duration.ofMinutes(10));
    try (ActorNode node = new ActorNode(NodeCapacity.of(4, 4096, 100, 64), QUEUE, new HybridHistogramKeepAlive(settings),
        SnapshotPolicy.firstBoot(), 1L << 30)) {
      FunctionSpec periodic = ActorNode.function("periodic", "echo");
      for (int i = 0; i < 6; i++) {     // every ~1.2 s: the histogram learns the period
        node.invokeAndWait(periodic, "x");
        Thread.sleep(1200);
      }
      // after the last invocation the VM is unloaded (pre-warm window), then started again ahead of the next
      node.kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
        assertThat(count(node, "faascell.vm.prewarms")).isPositive();
        return null;
      });
      var next = (InvocationResult.Completed) node.invokeAndWait(periodic, "x");
      assertThat(next.startKind()).isEqualTo(StartKind.WARM);
    }
  }
}
