package dev.faascell.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.blockingio.BlockingIo;
import dev.faascell.config.FaascellConfig.DispatcherSettings;
import dev.faascell.config.NodeCapacity;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.StartKind;
import dev.faascell.policy.snapshot.SnapshotPolicy;
import dev.faascell.testing.ActorNode;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.vmpool.VmPool;
import dev.faascell.config.FaascellConfig.SnapshotVerification;
import dev.faascell.policy.keepalive.TtlKeepAlive;
import dev.faascell.policy.scaling.AlwaysStart;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

/** Snapshots through the actors over the fake VMM: taken after INIT, restored, discarded, placed. */
class SnapshotManagerTest {
  private static final DispatcherSettings QUEUE = new DispatcherSettings(64, Duration.ofSeconds(10), Duration.ofSeconds(1), 0);

  /** Background verification every 100 ms, unthrottled. */
  private static final SnapshotVerification VERIFY_OFTEN = new SnapshotVerification(true, Duration.ofMillis(100),
      Long.MAX_VALUE);

  private static ActorNode node(int maxVms, long ramTierBytes) throws Exception {
    return node(maxVms, ramTierBytes, SnapshotVerification.off());
  }

  private static ActorNode node(int maxVms, long ramTierBytes, SnapshotVerification verification) throws Exception {
    return new ActorNode(NodeCapacity.of(maxVms, 1 << 16, 100, 64), QUEUE, new TtlKeepAlive(Duration.ofMinutes(10)),
        new AlwaysStart(), SnapshotPolicy.firstBoot(), ramTierBytes, System::nanoTime, verification);
  }

  /** Overwrites bytes in the middle of the snapshot's RAM file: its size, so the cheap check, stays right. */
  private static void corruptRamInPlace(SnapshotRecord snapshot) throws Exception {
    try (RandomAccessFile ram = new RandomAccessFile(snapshot.files().ram().orElseThrow().toFile(), "rw")) {
      ram.seek(ram.length() / 2);
      ram.write("not what was snapshotted".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static double quarantined(ActorNode node, String reason) {
    return node.metrics.counter("faascell.snapshots.quarantined", "reason", reason).count();
  }

  /** Stops every VM of the function, so that the next invocation cannot be warm. */
  private static void retireVms(ActorNode node, FunctionSpec function) {
    node.pool.tell(new VmPool.RetireFunction(function.name(), Optional.empty()));
    node.awaitNoLiveVms();
  }

  private static List<SnapshotRecord> awaitSnapshots(ActorNode node, int count) {
    TestProbe<List<SnapshotRecord>> probe = node.kit.createTestProbe();
    return probe.awaitAssert(Duration.ofSeconds(5), () -> {
      node.snapshots.tell(new SnapshotManager.ListSnapshots(probe.getRef()));
      List<SnapshotRecord> list = probe.receiveMessage();
      assertThat(list).hasSize(count);
      return list;
    });
  }

  @Test
  void theFirstBootIsSnapshottedAndLaterStartsRestore() throws Exception {
    try (ActorNode node = node(4, 1L << 30)) {
      FunctionSpec echo = ActorNode.function("echo", "echo");
      var cold = (InvocationResult.Completed) node.invokeAndWait(echo, "1");
      assertThat(cold.startKind()).isEqualTo(StartKind.COLD);
      SnapshotRecord snapshot = awaitSnapshots(node, 1).get(0);
      assertThat(snapshot.functionKey()).isEqualTo(VmPool.keyOf(echo));
      assertThat(snapshot.tier()).isEqualTo("ram");
      assertThat(snapshot.files().state()).isRegularFile();
      assertThat(node.catalog.records).containsKey(snapshot.id());

      retireVms(node, echo);
      var restored = (InvocationResult.Completed) node.invokeAndWait(echo, "2");
      assertThat(restored.startKind()).isEqualTo(StartKind.RESTORE);
      assertThat(new String(restored.output())).isEqualTo("2");
      assertThat(restored.timing().restoreNanos()).isPositive();
      assertThat(restored.timing().bootNanos()).isZero();
      assertThat(node.vmm.restores()).isEqualTo(1);
      node.kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
        assertThat(node.catalog.records.get(snapshot.id()).restoreCount()).isEqualTo(1);
        return null;
      });
    }
  }

  @Test
  void everyCatalogWriteRunsOnTheBlockingIoDispatcherNeverOnAnActorThread() throws Exception {
    try (ActorNode node = node(4, 1L << 30)) {
      FunctionSpec echo = ActorNode.function("echo", "echo");
      node.invokeAndWait(echo, "1");
      SnapshotRecord snapshot = awaitSnapshots(node, 1).get(0);
      retireVms(node, echo);
      node.invokeAndWait(echo, "2");   // a restore: its count is written
      node.snapshots.tell(new SnapshotManager.FunctionChanged(echo.name(), Optional.of("another-version")));
      node.kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
        assertThat(node.catalog.records).doesNotContainKey(snapshot.id());
        return null;
      });
      assertThat(node.catalog.writerThreads).isNotEmpty()
          .allSatisfy(thread -> assertThat(thread).contains(BlockingIo.DISPATCHER));
    }
  }

  @Test
  void aCorruptedSnapshotIsDiscardedAndTheInvocationBootsCold() throws Exception {
    try (ActorNode node = node(4, 1L << 30)) {
      FunctionSpec echo = ActorNode.function("echo", "echo");
      node.invokeAndWait(echo, "1");
      SnapshotRecord snapshot = awaitSnapshots(node, 1).get(0);
      retireVms(node, echo);
      Files.writeString(snapshot.files().state(), "garbage of the same kind as a flipped bit");

      var result = (InvocationResult.Completed) node.invokeAndWait(echo, "2");
      assertThat(result.startKind()).isEqualTo(StartKind.COLD);
      assertThat(new String(result.output())).isEqualTo("2");
      node.kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
        assertThat(node.catalog.records).doesNotContainKey(snapshot.id());
        assertThat(snapshot.directory()).doesNotExist();
        return null;
      });
      // the fallback boot took a fresh snapshot
      assertThat(awaitSnapshots(node, 1).get(0).id()).isNotEqualTo(snapshot.id());
    }
  }

  @Test
  void aRamTierSnapshotCorruptedInPlaceIsQuarantinedInTheBackgroundAndTheNextInvocationBootsCold() throws Exception {
    try (ActorNode node = node(4, 1L << 30, VERIFY_OFTEN)) {
      FunctionSpec echo = ActorNode.function("echo", "echo");
      node.invokeAndWait(echo, "1");
      SnapshotRecord snapshot = awaitSnapshots(node, 1).get(0);
      retireVms(node, echo);
      corruptRamInPlace(snapshot);

      node.kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
        assertThat(quarantined(node, "verification")).isEqualTo(1.0);
        assertThat(node.catalog.records).doesNotContainKey(snapshot.id());
        assertThat(snapshot.directory()).doesNotExist();
        return null;
      });
      var result = (InvocationResult.Completed) node.invokeAndWait(echo, "2");
      assertThat(result.startKind()).isEqualTo(StartKind.COLD);
      assertThat(new String(result.output())).isEqualTo("2");
      assertThat(node.vmm.restores()).isZero();
      assertThat(node.metrics.timer("faascell.snapshots.verification").count()).isPositive();
    }
  }

  @Test
  void withoutBackgroundVerificationTheSameCorruptedSnapshotIsRestored() throws Exception {
    try (ActorNode node = node(4, 1L << 30, SnapshotVerification.off())) {
      FunctionSpec echo = ActorNode.function("echo", "echo");
      node.invokeAndWait(echo, "1");
      SnapshotRecord snapshot = awaitSnapshots(node, 1).get(0);
      retireVms(node, echo);
      corruptRamInPlace(snapshot);
      Thread.sleep(500);   // five rounds' worth of VERIFY_OFTEN

      var result = (InvocationResult.Completed) node.invokeAndWait(echo, "2");
      assertThat(result.startKind()).isEqualTo(StartKind.RESTORE);
      assertThat(quarantined(node, "verification")).isZero();
    }
  }

  @Test
  void aSnapshotOnASlowerTierIsCheckedInFullBeforeItIsRestored() throws Exception {
    // the RAM tier holds one fake snapshot: the first moves to the disk tier when the second comes
    try (ActorNode node = node(4, 6000)) {
      FunctionSpec first = ActorNode.function("first", "echo");
      node.invokeAndWait(first, "x");
      awaitSnapshots(node, 1);
      FunctionSpec second = ActorNode.function("second", "echo");
      node.invokeAndWait(second, "x");
      TestProbe<List<SnapshotRecord>> probe = node.kit.createTestProbe();
      SnapshotRecord demoted = probe.awaitAssert(Duration.ofSeconds(5), () -> {
        node.snapshots.tell(new SnapshotManager.ListSnapshots(probe.getRef()));
        SnapshotRecord record = probe.receiveMessage().stream().filter(r -> r.function().equals(first.name()))
            .findFirst().orElseThrow();
        assertThat(record.tier()).isEqualTo("disk");
        return record;
      });
      node.pool.tell(new VmPool.RetireFunction(second.name(), Optional.empty()));
      retireVms(node, first);
      corruptRamInPlace(demoted);

      var result = (InvocationResult.Completed) node.invokeAndWait(first, "after");
      assertThat(result.startKind()).isEqualTo(StartKind.COLD);
      assertThat(new String(result.output())).isEqualTo("after");
      node.kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
        assertThat(quarantined(node, "restore")).isEqualTo(1.0);
        assertThat(demoted.directory()).doesNotExist();
        return null;
      });
    }
  }

  @Test
  void concurrentInvocationsWithASnapshotAndNoWarmVmAreAllRestores() throws Exception {
    try (ActorNode node = node(8, 1L << 30)) {
      FunctionSpec sleeper = ActorNode.function("sleeper", "sleep");
      node.invokeAndWait(sleeper, "0");
      awaitSnapshots(node, 1);
      retireVms(node, sleeper);
      List<TestProbe<InvocationResult>> probes = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        probes.add(node.invoke(sleeper, "200"));
      }
      for (var probe : probes) {
        var result = (InvocationResult.Completed) probe.expectMessageClass(InvocationResult.class, Duration.ofSeconds(10));
        assertThat(result.startKind()).isEqualTo(StartKind.RESTORE);
      }
      assertThat(node.vmm.restores()).isEqualTo(8);
    }
  }

  @Test
  void aFullFastTierDemotesTheLeastRecentlyUsedSnapshot() throws Exception {
    // each fake snapshot is a 4 KiB RAM file plus a tiny state file: the RAM tier holds one
    try (ActorNode node = node(4, 6000)) {
      node.invokeAndWait(ActorNode.function("first", "echo"), "x");
      awaitSnapshots(node, 1);
      node.invokeAndWait(ActorNode.function("second", "echo"), "x");
      TestProbe<List<SnapshotRecord>> probe = node.kit.createTestProbe();
      probe.awaitAssert(Duration.ofSeconds(5), () -> {
        node.snapshots.tell(new SnapshotManager.ListSnapshots(probe.getRef()));
        List<SnapshotRecord> list = probe.receiveMessage();
        assertThat(list).extracting(r -> r.function().value() + ":" + r.tier())
            .containsExactlyInAnyOrder("first:disk", "second:ram");
        return null;
      });
    }
  }

  @Test
  void aRedeployedFunctionLosesItsSnapshots() throws Exception {
    try (ActorNode node = node(4, 1L << 30)) {
      FunctionSpec echo = ActorNode.function("echo", "echo");
      node.invokeAndWait(echo, "1");
      SnapshotRecord snapshot = awaitSnapshots(node, 1).get(0);
      node.snapshots.tell(new SnapshotManager.FunctionChanged(echo.name(), Optional.of("another-version")));
      awaitSnapshots(node, 0);
      node.kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
        assertThat(snapshot.directory()).doesNotExist();
        return null;
      });
    }
  }

  @Test
  void anExplicitSnapshotBootsAFreshVmAndAnswers() throws Exception {
    try (ActorNode node = node(4, 1L << 30)) {
      FunctionSpec echo = ActorNode.function("echo", "echo");
      TestProbe<SnapshotOutcome> probe = node.kit.createTestProbe();
      node.pool.tell(new VmPool.TakeSnapshot(echo, SnapshotFormat.FULL, probe.getRef()));
      var created = (SnapshotOutcome.Created) probe.expectMessageClass(SnapshotOutcome.class, Duration.ofSeconds(10));
      assertThat(created.snapshot().format()).isEqualTo(SnapshotFormat.FULL);
      // the VM that was snapshotted stays and serves warm
      var warm = (InvocationResult.Completed) node.invokeAndWait(echo, "x");
      assertThat(warm.startKind()).isEqualTo(StartKind.WARM);
    }
  }
}
