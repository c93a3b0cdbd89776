package dev.faascell.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.config.FaascellConfig.DispatcherSettings;
import dev.faascell.config.NodeCapacity;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.RuntimeKind;
import dev.faascell.testing.ActorNode;
import dev.faascell.vmpool.VmState;
import dev.faascell.vmpool.VmStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

/** Admission: a bounded queue, queue timeouts, and nothing lost for admitted invocations. */
class DispatcherTest {
  @Test
  void aFullQueueRefusesWith429AndLosesNothingAdmitted() throws Exception {
    var settings = new DispatcherSettings(2, Duration.ofSeconds(10), Duration.ofSeconds(1), 0);
    try (ActorNode node = new ActorNode(NodeCapacity.of(1, 4096, 100, 64), settings, Duration.ofMinutes(10))) {
      FunctionSpec sleeper = ActorNode.function("sleeper", "sleep");
      List<TestProbe<InvocationResult>> probes = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        probes.add(node.invoke(sleeper, "200"));
      }
      int completed = 0;
      int refused = 0;
      for (var probe : probes) {
        InvocationResult result = probe.expectMessageClass(InvocationResult.class, Duration.ofSeconds(10));
        if (result instanceof InvocationResult.Completed) {
          completed++;
        } else {
          assertThat(((InvocationResult.Failed) result).kind()).isEqualTo(FailureKind.QUEUE_FULL);
          refused++;
        }
      }
      assertThat(completed + refused).isEqualTo(6);
      assertThat(refused).isPositive();
      assertThat(completed).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void anInvocationThatWaitsPastTheQueueTimeoutGets503() throws Exception {
    // the busy invocation (350 ms) outlasts the queue timeout (200 ms) with room to spare before its own 500 ms timeout
    var settings = new DispatcherSettings(8, Duration.ofMillis(200), Duration.ofSeconds(1), 0);
    try (ActorNode node = new ActorNode(NodeCapacity.of(1, 4096, 100, 64), settings, Duration.ofMinutes(10))) {
      FunctionSpec sleeper = ActorNode.function("sleeper", "sleep");
      var busy = node.invoke(sleeper, "350");
      var waiting = node.invoke(ActorNode.function("other", "echo"), "x");
      var result = (InvocationResult.Failed) waiting.expectMessageClass(InvocationResult.class, Duration.ofSeconds(5));
      assertThat(result.kind()).isEqualTo(FailureKind.QUEUE_TIMEOUT);
      assertThat(result.kind().httpStatus()).isEqualTo(503);
      assertThat(busy.expectMessageClass(InvocationResult.class, Duration.ofSeconds(5)))
          .isInstanceOf(InvocationResult.Completed.class);
    }
  }

  @Test
  void aDrainingNodeRefusesNewInvocationsWith503AndAnswersOnceTheAdmittedOnesEnded() throws Exception {
    var settings = new DispatcherSettings(8, Duration.ofSeconds(10), Duration.ofSeconds(1), 0);
    try (ActorNode node = new ActorNode(NodeCapacity.of(1, 4096, 100, 64), settings, Duration.ofMinutes(10))) {
      // a timeout far beyond its sleep: a loaded test machine must not turn the admitted runs into timeouts
      FunctionSpec sleeper = new FunctionSpec(FunctionName.of("sleeper"), RuntimeKind.EXEC, "sleep",
          CodeBundle.file("handler", new byte[] {1}), 128, 1, Duration.ofSeconds(30), Map.of());
      var running = node.invoke(sleeper, "300");
      var queued = node.invoke(sleeper, "10");   // one VM on this node: it waits for the first
      TestProbe<Dispatcher.Drained> drained = node.kit.createTestProbe();
      node.dispatcher.tell(new Dispatcher.Drain(drained.ref()));
      var refused = (InvocationResult.Failed) node.invoke(sleeper, "10")
          .expectMessageClass(InvocationResult.class, Duration.ofSeconds(5));
      assertThat(refused.kind()).isEqualTo(FailureKind.SHUTTING_DOWN);
      assertThat(refused.kind().httpStatus()).isEqualTo(503);

      drained.expectMessageClass(Dispatcher.Drained.class, Duration.ofSeconds(10));
      // the Sink answers an invocation before it tells the Dispatcher it ended: once drained, both answers are in
      assertThat(running.expectMessageClass(InvocationResult.class, Duration.ofMillis(100)))
          .isInstanceOf(InvocationResult.Completed.class);
      assertThat(queued.expectMessageClass(InvocationResult.class, Duration.ofMillis(100)))
          .isInstanceOf(InvocationResult.Completed.class);
      var refusedLater = (InvocationResult.Failed) node.invoke(sleeper, "10")
          .expectMessageClass(InvocationResult.class, Duration.ofSeconds(5));
      assertThat(refusedLater.kind()).isEqualTo(FailureKind.SHUTTING_DOWN);
      drained.expectNoMessage(Duration.ofMillis(100));   // answered once, though refusals go on
    }
  }

  @Test
  void aFunctionLargerThanTheNodeIsRefusedAtOnce() throws Exception {
    var settings = new DispatcherSettings(8, Duration.ofSeconds(10), Duration.ofSeconds(1), 0);
    try (ActorNode node = new ActorNode(NodeCapacity.of(4, 200, 100, 64), settings, Duration.ofMinutes(10))) {
      var result = (InvocationResult.Failed) node.invokeAndWait(ActorNode.function("big", "echo"), "x");
      assertThat(result.kind()).isEqualTo(FailureKind.NO_CAPACITY);
    }
  }

  @Test
  void deletingAFunctionEndsItsQueuedInvocations() throws Exception {
    var settings = new DispatcherSettings(8, Duration.ofSeconds(10), Duration.ofSeconds(1), 0);
    try (ActorNode node = new ActorNode(NodeCapacity.of(1, 4096, 100, 64), settings, Duration.ofMinutes(10))) {
      FunctionSpec sleeper = ActorNode.function("sleeper", "sleep");
      var busy = node.invoke(sleeper, "500");
      // the node's one VM runs the sleeper before the doomed invocation arrives, so that it must queue
      node.kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
        assertThat(node.status().vms()).extracting(VmStatus::state).containsExactly(VmState.BUSY);
        return null;
      });
      FunctionSpec doomed = ActorNode.function("doomed", "echo");
      var queued = node.invoke(doomed, "x");
      node.dispatcher.tell(new Dispatcher.FunctionRemoved(doomed.name()));
      var result = (InvocationResult.Failed) queued.expectMessageClass(InvocationResult.class, Duration.ofSeconds(5));
      assertThat(result.kind()).isEqualTo(FailureKind.FUNCTION_GONE);
      busy.expectMessageClass(InvocationResult.class, Duration.ofSeconds(5));
    }
  }
}
