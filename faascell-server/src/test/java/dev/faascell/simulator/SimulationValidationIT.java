package dev.faascell.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.model.StartKind;
import dev.faascell.replay.arrivals.Schedule;
import dev.faascell.replay.arrivals.ScheduledInvocation;
import dev.faascell.replay.driver.DriverSettings;
import dev.faascell.replay.driver.InvocationRecord;
import dev.faascell.replay.driver.ProgressListener;
import dev.faascell.replay.driver.ReplayDriver;
import dev.faascell.replay.driver.RunResult;
import dev.faascell.replay.workload.MemoryModel;
import dev.faascell.replay.workload.SyntheticFunction;
import dev.faascell.replay.workload.WorkRequest;
import dev.faascell.server.Node;
import dev.faascell.simulator.calibration.Calibration;
import dev.faascell.simulator.calibration.Calibrator;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.TestNodes;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The validation experiment of docs/EXPERIMENTS.md in small: a one-minute schedule replayed on a real
 * node with real VMs, then simulated with the node's configuration and a calibration taken from that
 * node's own trace records. The simulation must start VMs as the node did: the same start kinds per
 * function, and a median latency within 25%.
 */
class SimulationValidationIT {
  /**
   * "hot" runs once (a cold boot, snapshotted), comes back after its VM outlived the 8 s keep-alive (a
   * restore) and then every 2 s (warm); "rare" comes three times, each after its VM outlived the
   * keep-alive (a cold boot, then two restores).
   */
  private static final Map<String, Object> NODE = Map.of("faascell.keep-alive.ttl", "8s", "faascell.node.max-vms", 4);
  private static final WorkRequest WORK = new WorkRequest(100, 0);

  private Path dir;
  private Node node;

  @BeforeEach
  void start() throws Exception {
    dir = TestNodes.tempDir("fc-simvalidate-");
    node = RealNodes.start(dir, NODE);
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    assertThat(RealNodes.qemuProcessesUnder(dir)).isEmpty();
    TestNodes.delete(dir);
  }

  private static Schedule schedule() {
    List<ScheduledInvocation> invocations = new ArrayList<>();
    invocations.add(new ScheduledInvocation(0, "hot", WORK));
    for (int second = 24; second <= 60; second += 2) {
      invocations.add(new ScheduledInvocation(Duration.ofSeconds(second).toNanos(), "hot", WORK));
    }
    for (int second : new int[] {1, 34, 56}) {
      invocations.add(new ScheduledInvocation(Duration.ofSeconds(second).toNanos(), "rare", WORK));
    }
    return new Schedule(invocations);
  }

  @Test
  void theSimulationOfAReplayStartsTheSameVmsAsTheRealNodeDid() throws Exception {
    List<SyntheticFunction> functions = List.of(SyntheticFunction.of(MemoryModel.RESIDENT, "hot", 16, 100, "validation"),
        SyntheticFunction.of(MemoryModel.RESIDENT, "rare", 16, 100, "validation"));
    ReplayDriver driver = new ReplayDriver(DriverSettings.defaults(URI.create(node.url())), ProgressListener.NONE);
    driver.deploy(functions);
    RunResult real = driver.runOpenLoop(schedule());
    assertThat(real.invocations()).allMatch(InvocationRecord::succeeded);

    Path trace;
    try (Stream<Path> files = Files.walk(dir)) {
      trace = files.filter(p -> p.getFileName().toString().equals("invocations.jsonl")).findFirst().orElseThrow();
    }
    Calibration calibration = new Calibrator(name -> 128, "python").read(trace)
        .calibration("this test's node", "SimulationValidationIT", Calibration.shipped());
    SimulationSettings settings = SimulationSettings.of(TestNodes.config(dir, NODE), calibration, 7,
        Duration.ofSeconds(1));
    SimulationRecords simulated = new SimulationRecords();
    SimulationTotals totals = new Simulator(settings, functions, simulated).run(schedule().invocations().iterator(),
        Duration.ofSeconds(61), SimulationProgress.NONE);
    List<InvocationRecord> sim = simulated.result(totals).invocations();

    Map<String, Map<String, Long>> realKinds = kinds(real.invocations());
    Map<String, Map<String, Long>> simKinds = kinds(sim);
    System.out.println("real start kinds " + realKinds + ", simulated " + simKinds);
    assertThat(simKinds).isEqualTo(realKinds);
    assertThat(realKinds.get("rare")).containsEntry(StartKind.COLD.wireName(), 1L)
        .containsEntry(StartKind.RESTORE.wireName(), 2L);

    double realP50 = median(real.invocations());
    double simP50 = median(sim);
    System.out.printf("latency p50: real %.1f ms, simulated %.1f ms%n", realP50, simP50);
    assertThat(Math.abs(simP50 - realP50) / realP50).isLessThan(0.25);
  }

  private static Map<String, Map<String, Long>> kinds(List<InvocationRecord> records) {
    Map<String, Map<String, Long>> kinds = new TreeMap<>();
    for (InvocationRecord record : records) {
      kinds.computeIfAbsent(record.function(), f -> new TreeMap<>()).merge(record.startKind(), 1L, Long::sum);
    }
    return kinds;
  }

  private static double median(List<InvocationRecord> records) {
    double[] latencies = records.stream().mapToDouble(InvocationRecord::latencyMs).sorted().toArray();
    return latencies[latencies.length / 2];
  }
}
