package dev.faascell.vmpool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.config.FaascellConfig.DispatcherSettings;
import dev.faascell.config.NodeCapacity;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.RuntimeKind;
import dev.faascell.model.StartKind;
import dev.faascell.policy.keepalive.TtlKeepAlive;
import dev.faascell.policy.scaling.AlwaysStart;
import dev.faascell.policy.scaling.ExpectedWait;
import dev.faascell.policy.scaling.ScalingPolicy;
import dev.faascell.policy.snapshot.SnapshotPolicy;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.testing.ActorNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

/** Bursts through the whole actor path on the fake VMM: start slots, restore retries, scaling policies. */
class BurstsInThePoolTest {
  private static final DispatcherSettings QUEUE = new DispatcherSettings(256, Duration.ofSeconds(30), Duration.ofSeconds(1), 0);

  private static ActorNode node(int slots, ScalingPolicy scaling, SnapshotPolicy snapshots) throws Exception {
    return new ActorNode(NodeCapacity.of(1000, 1 << 20, 100, 1000).withStartSlots(slots), QUEUE,
        new TtlKeepAlive(Duration.ofMinutes(10)), scaling, snapshots, 1L << 30);
  }

  private static List<InvocationResult> burst(ActorNode node, FunctionSpec function, String payload, int count) {
    List<TestProbe<InvocationResult>> probes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      probes.add(node.invoke(function, payload));
    }
    return probes.stream().map(p -> p.expectMessageClass(InvocationResult.class, Duration.ofSeconds(30))).toList();
  }

  private static double count(ActorNode node, String meter, String reason) {
    return node.metrics.find(meter).tag("reason", reason).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static SnapshotRecord awaitSnapshot(ActorNode node) {
    TestProbe<List<SnapshotRecord>> probe = node.kit.createTestProbe();
    return probe.awaitAssert(Duration.ofSeconds(10), () -> {
      node.snapshots.tell(new SnapshotManager.ListSnapshots(probe.getRef()));
      List<SnapshotRecord> list = probe.receiveMessage();
      assertThat(list).hasSize(1);
      return list.get(0);
    });
  }

  @Test
  void aBurstStartsNoMoreVmsAtOnceThanTheNodeHasSlotsAndAllSucceed() throws Exception {
    try (ActorNode node = node(2, new AlwaysStart(), SnapshotPolicy.never())) {
      AtomicInteger mostStarting = new AtomicInteger();
      AtomicBoolean watching = new AtomicBoolean(true);
      Thread watcher = new Thread(() -> {
        while (watching.get()) {
          PoolStatus status = node.status();
          long starting = status.vms().stream().filter(vm -> vm.state().starting()).count();
          mostStarting.accumulateAndGet((int) Math.max(starting, status.startSlotsInUse()), Math::max);
        }
      });
      watcher.start();
      // each run outlasts every start of the burst, even on a loaded host: no VM frees up for a warm run
      FunctionSpec sleeper = new FunctionSpec(FunctionName.of("sleeper"), RuntimeKind.EXEC, "sleep",
          CodeBundle.file("handler", new byte[] {1}), 128, 1, Duration.ofSeconds(5), Map.of());
      List<InvocationResult> results = burst(node, sleeper, "1500", 12);
      watching.set(false);
      watcher.join();
      assertThat(results).allMatch(r -> r instanceof InvocationResult.Completed);
      assertThat(results).extracting(r -> ((InvocationResult.Completed) r).startKind()).containsOnly(StartKind.COLD);
      assertThat(mostStarting.get()).isBetween(1, 2);
      // every start waited for its slot in line, and the trace shows it
      assertThat(results).allMatch(r -> r.trace().slotGranted() >= r.trace().assigned() && r.trace().slotGranted() > 0);
    }
  }

  @Test
  void aRestoreThatFailsOnABusyHostIsRetriedAsARestoreNotACold() throws Exception {
    try (ActorNode node = node(2, new AlwaysStart(), SnapshotPolicy.firstBoot())) {
      FunctionSpec echo = ActorNode.function("echo", "echo");
      node.invokeAndWait(echo, "x");
      awaitSnapshot(node);
      node.vmm.failNextRestores(1);
      List<InvocationResult> results = burst(node, echo, "x", 3);
      assertThat(results).allMatch(r -> r instanceof InvocationResult.Completed);
      assertThat(results).extracting(r -> ((InvocationResult.Completed) r).startKind()).doesNotContain(StartKind.COLD);
      // one of the three restores failed and was restored again; no invocation booted cold
      assertThat(count(node, "faascell.start.retries", "restore-failed")).isEqualTo(1);
      assertThat(node.metrics.find("faascell.start.fallbacks").counters()).isEmpty();
    }
  }

  @Test
  void aSoundSnapshotWhoseRestoresKeepFailingIsKeptAndTheInvocationGets503() throws Exception {
    try (ActorNode node = node(1, new AlwaysStart(), SnapshotPolicy.firstBoot())) {
      FunctionSpec echo = ActorNode.function("echo", "echo");
      SnapshotRecord snapshot = firstBootWithoutWarmVm(node, echo);
      node.vmm.failNextRestores(2);
      var result = (InvocationResult.Failed) node.invokeAndWait(echo, "x");
      assertThat(result.kind()).isEqualTo(FailureKind.HOST_BUSY);
      assertThat(result.kind().httpStatus()).isEqualTo(503);
      assertThat(count(node, "faascell.start.retries", "restore-failed")).isEqualTo(1);
      assertThat(count(node, "faascell.start.failures", "host-busy")).isEqualTo(1);
      assertThat(node.metrics.find("faascell.start.fallbacks").counters()).as("no cold boot").isEmpty();
      assertThat(node.vmm.launches()).isEqualTo(1);
      assertThat(awaitSnapshot(node).id()).as("a sound snapshot stays").isEqualTo(snapshot.id());
      // and the next invocation restores it
      assertThat(((InvocationResult.Completed) node.invokeAndWait(echo, "x")).startKind()).isEqualTo(StartKind.RESTORE);
    }
  }

  @Test
  void aSnapshotWhoseRamIsDamagedFallsBackToColdOnceItsRetriesAreSpent() throws Exception {
    try (ActorNode node = node(1, new AlwaysStart(), SnapshotPolicy.firstBoot())) {
      FunctionSpec echo = ActorNode.function("echo", "echo");
      SnapshotRecord snapshot = firstBootWithoutWarmVm(node, echo);
      // same size, other bytes: only the full check (the RAM file's digest) sees it
      java.nio.file.Path ram = snapshot.files().ram().orElseThrow();
      byte[] bytes = java.nio.file.Files.readAllBytes(ram);
      bytes[0] ^= 0x5a;
      java.nio.file.Files.write(ram, bytes);
      node.vmm.failNextRestores(2);
      var result = (InvocationResult.Completed) node.invokeAndWait(echo, "x");
      assertThat(result.startKind()).isEqualTo(StartKind.COLD);
      assertThat(count(node, "faascell.start.fallbacks", "broken-snapshot")).isEqualTo(1);
      assertThat(awaitSnapshot(node).id()).as("the cold boot took a new snapshot").isNotEqualTo(snapshot.id());
    }
  }

  /** The function's first boot, its snapshot, and no warm VM left. */
  private static SnapshotRecord firstBootWithoutWarmVm(ActorNode node, FunctionSpec function) {
    node.invokeAndWait(function, "x");
    SnapshotRecord snapshot = awaitSnapshot(node);
    node.pool.tell(new VmPool.RetireFunction(function.name(), java.util.Optional.of("other-version")));
    node.awaitNoLiveVms();
    return snapshot;
  }

  @Test
  void expectedWaitLetsAShortFunctionWaitForItsBusyVmInsteadOfStartingOne() throws Exception {
    try (ActorNode node = node(2, new ExpectedWait(), SnapshotPolicy.never())) {
      FunctionSpec quick = ActorNode.function("quick", "sleep");
      node.invokeAndWait(quick, "5");   // a cold start (boot + init) of ~20 ms, then a 5 ms run: the history
      node.invokeAndWait(quick, "5");
      List<InvocationResult> results = burst(node, quick, "5", 3);
      assertThat(results).allMatch(r -> r instanceof InvocationResult.Completed);
      assertThat(node.vmm.launches()).as("waiting for the one VM beats starting another").isEqualTo(1);
      assertThat(node.metrics.find("faascell.scaling.decisions").tag("decision", "wait").counter().count())
          .isPositive();
    }
  }

  @Test
  void alwaysStartStartsAVmForEveryInvocationThatFindsNoIdleOne() throws Exception {
    try (ActorNode node = node(2, new AlwaysStart(), SnapshotPolicy.never())) {
      FunctionSpec quick = ActorNode.function("quick", "sleep");
      node.invokeAndWait(quick, "5");
      List<InvocationResult> results = burst(node, quick, "300", 4);
      assertThat(results).allMatch(r -> r instanceof InvocationResult.Completed);
      assertThat(node.vmm.launches()).isEqualTo(4);
    }
  }
}
