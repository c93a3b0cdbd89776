package dev.faascell.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.StartKind;
import dev.faascell.testing.ActorNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Worker's life and failure handling, through the real actor path over the fake VMM. */
class WorkerTest {
  private ActorNode node;

  @BeforeEach
  void start() throws Exception {
    node = ActorNode.standard();
  }

  @AfterEach
  void stop() throws Exception {
    node.close();
  }

  @Test
  void firstInvocationBootsColdAndTheNextIsWarmOnTheSameVm() {
    FunctionSpec echo = ActorNode.function("echo", "echo");
    var first = (InvocationResult.Completed) node.invokeAndWait(echo, "one");
    var second = (InvocationResult.Completed) node.invokeAndWait(echo, "two");

    assertThat(first.startKind()).isEqualTo(StartKind.COLD);
    assertThat(new String(first.output(), StandardCharsets.UTF_8)).isEqualTo("one");
    assertThat(first.timing().bootNanos()).isPositive();
    assertThat(second.startKind()).isEqualTo(StartKind.WARM);
    assertThat(second.vmId()).isEqualTo(first.vmId());
    assertThat(new String(second.output(), StandardCharsets.UTF_8)).isEqualTo("two");
    assertThat(second.timing().bootNanos()).isZero();
    assertThat(node.vmm.launches()).isEqualTo(1);
  }

  @Test
  void timingStagesAreOrderedAndWithinTheTotal() {
    var result = (InvocationResult.Completed) node.invokeAndWait(ActorNode.function("echo", "echo"), "x");
    var t = result.timing();
    assertThat(t.acquireNanos()).isGreaterThanOrEqualTo(t.bootNanos() + t.initNanos());
    assertThat(t.queueNanos() + t.acquireNanos() + t.runNanos()).isLessThanOrEqualTo(t.totalNanos());
    assertThat(t.execNanos()).isPositive();
  }

  @Test
  void aFunctionErrorFailsTheInvocationButKeepsTheVm() {
    FunctionSpec failing = ActorNode.function("failing", "fail");
    var first = (InvocationResult.Failed) node.invokeAndWait(failing, "x");
    var second = (InvocationResult.Failed) node.invokeAndWait(failing, "x");

    assertThat(first.kind()).isEqualTo(FailureKind.FUNCTION_ERROR);
    assertThat(first.message()).contains("ValueError: boom");
    assertThat(first.stderrTail()).contains("stderr of function");
    assertThat(second.startKind()).isEqualTo(StartKind.WARM);
    assertThat(second.vmId()).isEqualTo(first.vmId());
  }

  @Test
  void aHangingFunctionTimesOutAndItsVmIsReplaced() {
    FunctionSpec hanging = ActorNode.function("hanging", "hang");
    var first = (InvocationResult.Failed) node.invokeAndWait(hanging, "x");
    assertThat(first.kind()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(first.message()).contains("timeout of 500 ms");

    var second = (InvocationResult.Failed) node.invokeAndWait(hanging, "x");
    assertThat(second.startKind()).isEqualTo(StartKind.COLD);
    assertThat(second.vmId()).isNotEqualTo(first.vmId());
    node.awaitNoLiveVms();
  }

  @Test
  void aCrashedVmFailsTheInvocationAndLeavesThePool() {
    var result = (InvocationResult.Failed) node.invokeAndWait(ActorNode.function("crashing", "crash"), "x");
    assertThat(result.kind()).isEqualTo(FailureKind.VM_FAILURE);
    node.kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
      assertThat(node.status().vms()).isEmpty();
      assertThat(node.status().memoryAccountedMb()).isZero();
      return null;
    });
  }

  @Test
  void aGuestThatBreaksTheProtocolIsKilled() {
    var result = (InvocationResult.Failed) node.invokeAndWait(ActorNode.function("liar", "garbage"), "x");
    assertThat(result.kind()).isEqualTo(FailureKind.VM_FAILURE);
    assertThat(result.message()).contains("protocol");
    node.awaitNoLiveVms();
  }

  @Test
  void codeThatFailsToLoadIsAnInitError() {
    var result = (InvocationResult.Failed) node.invokeAndWait(ActorNode.function("broken", "bad-init"), "x");
    assertThat(result.kind()).isEqualTo(FailureKind.INIT_ERROR);
    assertThat(result.message()).contains("ImportError");
  }

  @Test
  void aVmThatCannotStartFailsTheInvocation() {
    node.vmm.failLaunches(true);
    var result = (InvocationResult.Failed) node.invokeAndWait(ActorNode.function("echo", "echo"), "x");
    assertThat(result.kind()).isEqualTo(FailureKind.VM_FAILURE);
    assertThat(result.message()).contains("fake launch failure");
    node.vmm.failLaunches(false);
    assertThat(node.invokeAndWait(ActorNode.function("echo", "echo"), "x")).isInstanceOf(InvocationResult.Completed.class);
  }
}
