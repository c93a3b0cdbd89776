package dev.faascell.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.config.FaascellConfig.DispatcherSettings;
import dev.faascell.config.FaascellConfig.SnapshotVerification;
import dev.faascell.config.NodeCapacity;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.StartKind;
import dev.faascell.policy.keepalive.TtlKeepAlive;
import dev.faascell.policy.scaling.AlwaysStart;
import dev.faascell.policy.snapshot.SnapshotPolicy;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.testing.ActorNode;
import dev.faascell.vmpool.VmPool;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

/**
 * A restored guest is brought up to date by its first RUN, in the same exchange: the fake guest's
 * {@code resume} handler answers with what each RUN carried.
 */
class RestoreResumeTest {
  private static final DispatcherSettings QUEUE = new DispatcherSettings(64, Duration.ofSeconds(10),
      Duration.ofSeconds(1), 0);

  @Test
  void theFirstRunAfterARestoreCarriesTheClockAndFreshEntropyAndNoOtherRunDoes() throws Exception {
    try (ActorNode node = node()) {
      FunctionSpec function = ActorNode.function("resumer", "resume");
      assertThat(run(node, function, StartKind.COLD)).isEqualTo("realtime=none entropy=none");
      awaitSnapshot(node);
      node.pool.tell(new VmPool.RetireFunction(function.name(), Optional.empty()));
      node.awaitNoLiveVms();

      long before = System.currentTimeMillis() * 1_000_000L;
      String[] first = run(node, function, StartKind.RESTORE).split(" ");
      long after = System.currentTimeMillis() * 1_000_000L;
      long realtime = Long.parseLong(first[0].substring("realtime=".length()));
      assertThat(realtime).isBetween(before, after);
      assertThat(first[1]).isEqualTo("entropy=64");
      assertThat(run(node, function, StartKind.WARM)).isEqualTo("realtime=none entropy=none");
    }
  }

  /**
   * A restored guest that dies before it answers its first RUN (as a damaged snapshot's does) failed to
   * restore: the job goes back to the pool, which restores again, and with the snapshot sound but its
   * guests dying, answers 503 host-busy, not the first attempt's lost VM.
   */
  @Test
  void aRestoredGuestThatDiesBeforeItsFirstAnswerHandsTheJobBack() throws Exception {
    try (ActorNode node = node()) {
      FunctionSpec function = ActorNode.function("crasher", "crash");
      var cold = (InvocationResult.Failed) node.invokeAndWait(function, "");
      assertThat(cold.kind()).isEqualTo(FailureKind.VM_FAILURE);   // a cold boot's job is not handed back
      awaitSnapshot(node);
      node.awaitNoLiveVms();

      var restored = (InvocationResult.Failed) node.invokeAndWait(function, "");
      assertThat(restored.kind()).as(restored.message()).isEqualTo(FailureKind.HOST_BUSY);
      assertThat(node.vmm.restores()).isEqualTo(2);   // the first try and its one retry
    }
  }

  private static ActorNode node() throws Exception {
    return new ActorNode(NodeCapacity.of(4, 1 << 16, 100, 64), QUEUE, new TtlKeepAlive(Duration.ofMinutes(10)),
        new AlwaysStart(), SnapshotPolicy.firstBoot(), 1L << 30, System::nanoTime, SnapshotVerification.off());
  }

  private static String run(ActorNode node, FunctionSpec function, StartKind expected) {
    var result = (InvocationResult.Completed) node.invokeAndWait(function, "");
    assertThat(result.startKind()).isEqualTo(expected);
    return new String(result.output(), StandardCharsets.UTF_8);
  }

  private static void awaitSnapshot(ActorNode node) {
    TestProbe<List<SnapshotRecord>> probe = node.kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(5), () -> {
      node.snapshots.tell(new SnapshotManager.ListSnapshots(probe.getRef()));
      assertThat(probe.receiveMessage()).hasSize(1);
      return null;
    });
  }
}
