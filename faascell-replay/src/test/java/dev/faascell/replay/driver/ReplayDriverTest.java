package dev.faascell.replay.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.faascell.replay.arrivals.ClosedLoopSource;
import dev.faascell.replay.arrivals.Schedule;
import dev.faascell.replay.arrivals.ScheduledInvocation;
import dev.faascell.replay.workload.SyntheticFunction;
import dev.faascell.replay.workload.WorkRequest;
import dev.faascell.testing.FakeNode;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReplayDriverTest {
  private static final WorkRequest WORK = new WorkRequest(50, 8);
  private static final List<String> FUNCTIONS = List.of("fn-a", "fn-b", "fn-c");

  private static DriverSettings settings(FakeNode node, Duration lateThreshold) {
    return new DriverSettings(node.url(), lateThreshold, Duration.ofMillis(100), Duration.ofSeconds(30));
  }

  /** {@code count} invocations every {@code spacingMs}, cycling through the functions. */
  private static Schedule evenSchedule(int count, long spacingMs) {
    return new Schedule(IntStream.range(0, count).mapToObj(i -> new ScheduledInvocation(
        Duration.ofMillis(i * spacingMs).toNanos(), FUNCTIONS.get(i % FUNCTIONS.size()), WORK)).toList());
  }

  @Test
  void everyScheduledInvocationIsRecordedExactlyOnceWithWhatTheNodeSaid() throws Exception {
    try (FakeNode node = new FakeNode(7, 5, 300)) {
      ReplayDriver driver = new ReplayDriver(settings(node, DriverSettings.DEFAULT_LATE_THRESHOLD), ProgressListener.NONE);
      driver.deploy(FUNCTIONS.stream().map(f -> SyntheticFunction.sizedFor(f, 8, 50, "test")).toList());
      Schedule schedule = evenSchedule(140, 8);

      RunResult result = driver.runOpenLoop(schedule);

      assertThat(node.deployBodies()).hasSize(3);
      assertThat(result.invocations()).hasSize(140);
      assertThat(result.invocations()).extracting(InvocationRecord::index).containsExactlyElementsOf(IntStream.range(0, 140).boxed().toList());
      assertThat(node.invocations()).isEqualTo(140);
      for (String function : FUNCTIONS) {
        assertThat(result.invocations().stream().filter(r -> r.function().equals(function)).count())
            .isEqualTo(node.invocationsOf(function)).isEqualTo(schedule.invocations().stream().filter(i -> i.function().equals(function)).count());
      }
      List<InvocationRecord> queueFull = result.invocations().stream().filter(r -> r.httpStatus() == 429).toList();
      assertThat(queueFull).hasSize(140 / 7).allSatisfy(r -> {
        assertThat(r.errorKind()).isEqualTo("queue-full");
        assertThat(r.errorMessage()).contains("queue is full");
        assertThat(r.startKind()).isEmpty();
        assertThat(r.outcome()).isEqualTo("queue-full");
      });
      assertThat(result.invocations().stream().filter(InvocationRecord::succeeded)).hasSize(120).allSatisfy(r -> {
        assertThat(r.startKind()).isIn("cold", "restore", "warm");
        assertThat(r.vmId()).startsWith("vm-");
        assertThat(r.timings().totalMs()).isEqualTo(45.0);
        assertThat(r.timings().runMs()).isEqualTo(2.0);
        assertThat(r.latencyMs()).isPositive();
        assertThat(r.requestedDurationMs()).isEqualTo(50);
      });
      assertThat(result.invocations().stream().map(InvocationRecord::startKind).distinct()).contains("cold", "restore", "warm");
      // the 300 ms replies of every 5th invocation show in the client-measured latency
      assertThat(result.invocations().stream().filter(r -> r.latencyMs() >= 300)).hasSizeGreaterThanOrEqualTo(20);
    }
  }

  @Test
  void slowRepliesNeverDelayTheSchedule() throws Exception {
    try (FakeNode node = new FakeNode(0, 1, 600)) {
      ReplayDriver driver = new ReplayDriver(settings(node, DriverSettings.DEFAULT_LATE_THRESHOLD), ProgressListener.NONE);
      RunResult result = driver.runOpenLoop(evenSchedule(40, 20));

      // every reply took 600 ms, yet each was sent at its time, 20 ms after the previous one: had a
      // send waited for a reply, the last would have been sent 39 × 600 ms late
      assertThat(result.invocations()).hasSize(40).allSatisfy(r -> {
        assertThat(r.latencyMs()).isGreaterThanOrEqualTo(600);
        assertThat(r.latenessMs()).isLessThan(400);   // generous: the build machine is shared and busy
        assertThat(r.sentMs() - r.scheduledMs()).isCloseTo(r.latenessMs(), within(0.01));
      });
      assertThat(result.elapsedMs()).isGreaterThanOrEqualTo(780 + 600);
    }
  }

  @Test
  void invocationsSentAfterTheirTimeAreCountedLateButStillSent() throws Exception {
    try (FakeNode node = new FakeNode(0, 0, 0)) {
      // a burst of 200 invocations due at the same instant: one sender cannot send them all within 1 µs
      ReplayDriver driver = new ReplayDriver(settings(node, Duration.ofNanos(1000)), ProgressListener.NONE);
      List<ScheduledInvocation> burst = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        burst.add(new ScheduledInvocation(Duration.ofMillis(50).toNanos(), "fn-a", WORK));
      }
      RunResult result = driver.runOpenLoop(new Schedule(burst));

      assertThat(result.invocations()).hasSize(200);
      assertThat(node.invocations()).isEqualTo(200);
      assertThat(result.lateCount()).isGreaterThanOrEqualTo(150)
          .isEqualTo(result.invocations().stream().filter(r -> r.latenessMs() > 0.001).count());
      assertThat(result.invocations()).allSatisfy(r -> assertThat(r.latenessMs()).isGreaterThanOrEqualTo(0));
    }
  }

  @Test
  void theNodesStatusIsSampledWhileReplaying() throws Exception {
    try (FakeNode node = new FakeNode(0, 0, 0)) {
      ReplayDriver driver = new ReplayDriver(settings(node, DriverSettings.DEFAULT_LATE_THRESHOLD), ProgressListener.NONE);
      RunResult result = driver.runOpenLoop(evenSchedule(10, 100));

      // every poll is a sample or a failure (a reply slower than the interval), but for one still in
      // flight when the replay ended
      assertThat(result.status().size() + result.statusPollFailures()).isBetween(node.statusPolls() - 1, node.statusPolls());
      assertThat(result.status()).hasSizeGreaterThanOrEqualTo(3);
      assertThat(result.status()).allSatisfy(s -> {
        assertThat(s.memoryCapacityMb()).isEqualTo(4096);
        assertThat(s.memoryReservedMb()).isIn(0L, 228L, 456L);
        assertThat(s.vms()).isEqualTo(3);
        assertThat(s.busy()).isEqualTo(1);
        assertThat(s.idle()).isEqualTo(2);
        assertThat(s.starting() + s.stopping()).isZero();
      });
      assertThat(result.status()).extracting(StatusSample::elapsedMs).isSorted();
    }
  }

  @Test
  void theProgressListenerHearsTheCountsAndTheEnd() throws Exception {
    try (FakeNode node = new FakeNode(4, 0, 0)) {
      List<Progress> updates = new CopyOnWriteArrayList<>();
      List<Progress> ends = new CopyOnWriteArrayList<>();
      ProgressListener listener = new ProgressListener() {
        @Override
        public void update(Progress progress) {
          updates.add(progress);
        }

        @Override
        public void finish(Progress progress) {
          ends.add(progress);
        }
      };
      new ReplayDriver(settings(node, DriverSettings.DEFAULT_LATE_THRESHOLD), listener).runOpenLoop(evenSchedule(20, 30));
      assertThat(updates).isNotEmpty();
      assertThat(ends).singleElement().satisfies(end -> {
        assertThat(end.sent()).isEqualTo(20);
        assertThat(end.total()).isEqualTo(20);
        assertThat(end.completed()).isEqualTo(20);
        assertThat(end.failed()).isEqualTo(5);
        assertThat(end.fraction()).isEqualTo(1.0);
      });
    }
  }

  @Test
  void aClosedLoopKeepsEachClientWaitingForItsReply() throws Exception {
    try (FakeNode node = new FakeNode(0, 0, 0)) {
      ReplayDriver driver = new ReplayDriver(settings(node, DriverSettings.DEFAULT_LATE_THRESHOLD), ProgressListener.NONE);
      RunResult result = driver.runClosedLoop(new ClosedLoopSource(3, Duration.ofMillis(600), Duration.ofMillis(20),
          List.of("fn-a", "fn-b"), WORK));

      int count = result.invocations().size();
      assertThat(count).isEqualTo(node.invocations()).isBetween(3, 3 * 600 / 20 + 3);
      assertThat(result.invocations()).extracting(InvocationRecord::index)
          .containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
      assertThat(result.invocations()).allSatisfy(r -> {
        assertThat(r.late()).isFalse();
        assertThat(r.scheduledMs()).isEqualTo(r.sentMs());
        assertThat(r.sentMs()).isLessThan(600);
      });
      // clients 0 and 2 invoke fn-a, client 1 fn-b
      assertThat(node.invocationsOf("fn-a")).isGreaterThan(node.invocationsOf("fn-b"));
    }
  }

  @Test
  void aNodeThatIsGoneStillGivesOneRecordPerInvocation() throws Exception {
    URI nowhere;
    try (ServerSocket socket = new ServerSocket(0)) {
      nowhere = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    ReplayDriver driver = new ReplayDriver(new DriverSettings(nowhere, DriverSettings.DEFAULT_LATE_THRESHOLD,
        Duration.ofMillis(100), Duration.ofSeconds(5)), ProgressListener.NONE);
    assertThatThrownBy(() -> driver.deploy(List.of(SyntheticFunction.sizedFor("fn-a", 8, 50, "test"))))
        .isInstanceOf(ReplayException.class).hasMessageContaining("no FaaSCell daemon at " + nowhere);

    RunResult result = driver.runOpenLoop(evenSchedule(6, 10));
    assertThat(result.invocations()).hasSize(6).allSatisfy(r -> {
      assertThat(r.httpStatus()).isZero();
      assertThat(r.errorKind()).isEqualTo("connection-failed");
    });
    assertThat(result.status()).isEmpty();
    assertThat(result.statusPollFailures()).isPositive();
  }
}
