package dev.faascell.vmpool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.config.FaascellConfig.DispatcherSettings;
import dev.faascell.config.NodeCapacity;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.StartKind;
import dev.faascell.testing.ActorNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

/** The pool's placement, capacity and keep-alive, over the fake VMM. */
class VmPoolTest {
  private static final DispatcherSettings QUEUE = new DispatcherSettings(16, Duration.ofSeconds(10), Duration.ofSeconds(1), 0);

  @Test
  void concurrentInvocationsGetTheirOwnVmsUpToTheNodeLimitAndTheRestWait() throws Exception {
    try (ActorNode node = new ActorNode(NodeCapacity.of(2, 4096, 100, 64), QUEUE, Duration.ofMinutes(10))) {
      FunctionSpec sleeper = ActorNode.function("sleeper", "sleep");
      List<TestProbe<InvocationResult>> probes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        probes.add(node.invoke(sleeper, "300"));
      }
      List<InvocationResult.Completed> results = new ArrayList<>();
      for (var probe : probes) {
        results.add((InvocationResult.Completed) probe.expectMessageClass(InvocationResult.class, Duration.ofSeconds(10)));
      }
      assertThat(results).extracting(InvocationResult.Completed::startKind)
          .containsExactlyInAnyOrder(StartKind.COLD, StartKind.COLD, StartKind.WARM);
      assertThat(results.stream().map(InvocationResult.Completed::vmId).distinct()).hasSize(2);
      assertThat(node.vmm.launches()).isEqualTo(2);
    }
  }

  @Test
  void whenTheNodeIsFullAnIdleVmOfAnotherFunctionIsEvicted() throws Exception {
    try (ActorNode node = new ActorNode(NodeCapacity.of(1, 4096, 100, 64), QUEUE, Duration.ofMinutes(10))) {
      var a = (InvocationResult.Completed) node.invokeAndWait(ActorNode.function("a", "echo"), "x");
      var b = (InvocationResult.Completed) node.invokeAndWait(ActorNode.function("b", "echo"), "x");
      assertThat(b.startKind()).isEqualTo(StartKind.COLD);
      assertThat(b.vmId()).isNotEqualTo(a.vmId());
      assertThat(node.status().vms()).extracting(VmStatus::function).containsExactly("b");
    }
  }

  @Test
  void memoryCapacityCountsGuestMemoryPlusOverhead() throws Exception {
    // 128 MiB guests + 100 MiB overhead: only one fits in 400 MiB
    try (ActorNode node = new ActorNode(NodeCapacity.of(8, 400, 100, 64), QUEUE, Duration.ofMinutes(10))) {
      var first = node.invoke(ActorNode.function("sleeper", "sleep"), "300");
      var second = node.invoke(ActorNode.function("sleeper", "sleep"), "300");
      var r1 = (InvocationResult.Completed) first.expectMessageClass(InvocationResult.class, Duration.ofSeconds(10));
      var r2 = (InvocationResult.Completed) second.expectMessageClass(InvocationResult.class, Duration.ofSeconds(10));
      assertThat(r2.startKind()).isEqualTo(StartKind.WARM);
      assertThat(r2.vmId()).isEqualTo(r1.vmId());
      assertThat(node.vmm.launches()).isEqualTo(1);
    }
  }

  @Test
  void idleVmsExpireAfterTheirTtl() throws Exception {
    try (ActorNode node = new ActorNode(NodeCapacity.of(4, 4096, 100, 64), QUEUE, Duration.ofMillis(200))) {
      node.invokeAndWait(ActorNode.function("echo", "echo"), "x");
      node.kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
        assertThat(node.status().vms()).isEmpty();
        assertThat(node.vmm.liveVms()).isEmpty();
        return null;
      });
    }
  }

  @Test
  void retiringAFunctionStopsItsIdleVms() throws Exception {
    try (ActorNode node = ActorNode.standard()) {
      FunctionSpec echo = ActorNode.function("echo", "echo");
      node.invokeAndWait(echo, "x");
      node.pool.tell(new VmPool.RetireFunction(echo.name(), Optional.empty()));
      node.awaitNoLiveVms();
      var next = (InvocationResult.Completed) node.invokeAndWait(echo, "x");
      assertThat(next.startKind()).isEqualTo(StartKind.COLD);
    }
  }
}
