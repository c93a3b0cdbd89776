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
import dev.faascell.policy.scaling.AlwaysStart;
import dev.faascell.policy.snapshot.SnapshotPolicy;
import dev.faascell.testing.ActorNode;
import dev.faascell.testing.ManualNanoClock;
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
    // 100 ms bins, 3 samples at least, head at the 5th percentile, tail at the 99th, 10 % margin
    var settings = new HybridHistogramKeepAlive.Settings(Duration.ofMillis(100), 50, 3, 5, 99, 0.1, Duration.ofMinutes(10));
    ManualNanoClock clock = new ManualNanoClock();
    try (ActorNode node = new ActorNode(NodeCapacity.of(4, 4096, 100, 64), QUEUE, new HybridHistogramKeepAlive(settings),
        new AlwaysStart(), SnapshotPolicy.firstBoot(), 1L << 30, clock)) {
      FunctionSpec periodic = ActorNode.function("periodic", "echo");
      for (int i = 0; i < 5; i++) {     // every 1.2 s: the histogram learns the period
        node.invokeAndWait(periodic, "x");
        clock.advance(Duration.ofMillis(1200));
      }
      node.invokeAndWait(periodic, "x");
      // the pre-warm window is now 1.08 s (the 1.2 s bin less the margin) and no invocation is expected in
      // it: the VM is unloaded at once
      node.awaitNoLiveVms();
      double prewarmsBefore = count(node, "faascell.vm.prewarms");

      // the keep-alive window (1.08 s to 1.43 s) opens: a VM is started ahead of the next invocation
      clock.advance(Duration.ofMillis(1100));
      node.kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
        assertThat(count(node, "faascell.vm.prewarms")).isGreaterThan(prewarmsBefore);
        assertThat(node.vmm.liveVms()).hasSize(1);
        // started, not just launched: an invocation before its restore is done would start another VM
        assertThat(node.status().vms()).extracting(VmStatus::state).containsExactly(VmState.IDLE);
        return null;
      });
      var next = (InvocationResult.Completed) node.invokeAndWait(periodic, "x");
      assertThat(next.startKind()).isEqualTo(StartKind.WARM);
    }
  }
}
