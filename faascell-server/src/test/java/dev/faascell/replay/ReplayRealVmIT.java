package dev.faascell.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.replay.arrivals.MinuteSpread;
import dev.faascell.replay.arrivals.SpeedUp;
import dev.faascell.replay.azure.AzureTrace;
import dev.faascell.replay.azure.AzureTraceFiles;
import dev.faascell.replay.azure.AzureTraceReader;
import dev.faascell.replay.azure.AzureWorkload;
import dev.faascell.replay.azure.FunctionSelection;
import dev.faascell.replay.driver.DriverSettings;
import dev.faascell.replay.driver.InvocationRecord;
import dev.faascell.replay.driver.ProgressListener;
import dev.faascell.replay.driver.ReplayDriver;
import dev.faascell.replay.driver.RunResult;
import dev.faascell.replay.report.ResultsDirectory;
import dev.faascell.replay.report.RunDescription;
import dev.faascell.replay.workload.MemoryModel;
import dev.faascell.replay.workload.WorkloadLimits;
import dev.faascell.server.Node;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.TestNodes;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An Azure-format trace replayed against a real node on real VMs through faascell-replay's API: every
 * invocation of the trace's window reaches the node once and comes back with a start kind or an error,
 * and the results directory says so.
 */
class ReplayRealVmIT {
  /** 4 functions of 2 apps, 3 minutes of counts (26 invocations); at 5x the window lasts 36 s of wall time. */
  private static final String INVOCATIONS = """
      HashOwner,HashApp,HashFunction,Trigger,1,2,3
      o1,app1,a1b2c3d4e5f60001,http,6,8,5
      o1,app1,a1b2c3d4e5f60002,timer,1,0,1
      o2,app2,b1b2c3d4e5f60003,queue,0,2,0
      o2,app2,b1b2c3d4e5f60004,http,1,1,1
      """;
  private static final String DURATIONS = """
      HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100
      o1,app1,a1b2c3d4e5f60001,90,19,50,200,50,52,70,90,120,190,200
      o1,app1,a1b2c3d4e5f60002,300,2,200,400,200,205,250,300,350,395,400
      o2,app2,b1b2c3d4e5f60003,150,2,100,250,100,102,120,150,180,245,250
      o2,app2,b1b2c3d4e5f60004,60,3,50,80,50,50,55,60,65,79,80
      """;
  private static final String MEMORY = """
      HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,AverageAllocatedMb_pct5,AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,AverageAllocatedMb_pct99,AverageAllocatedMb_pct100
      o1,app1,10,40,30,31,35,40,45,52,55,56
      o2,app2,10,20,12,13,16,20,24,28,29,30
      """;
  private static final double SPEED_UP = 5;
  private static final long SEED = 42;

  private Path dir;
  private Node node;

  @BeforeEach
  void start() throws Exception {
    dir = TestNodes.tempDir("fc-replayit-");
    node = RealNodes.start(dir, Map.of("faascell.node.max-vms", 6, "faascell.keep-alive.ttl", "30s"));
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    assertThat(RealNodes.qemuProcessesUnder(dir)).isEmpty();
    assertThat(RealNodes.leftoversIn(dir.resolve("run"))).isEmpty();
    TestNodes.delete(dir);
  }

  @Test
  void everyInvocationOfTheTraceWindowIsReplayedOnceAndRecorded() throws Exception {
    Path traceDir = Files.createDirectories(dir.resolve("trace"));
    AzureTraceFiles files = new AzureTraceFiles(Files.writeString(traceDir.resolve("invocations.csv"), INVOCATIONS),
        Files.writeString(traceDir.resolve("durations.csv"), DURATIONS), Files.writeString(traceDir.resolve("memory.csv"), MEMORY));
    AzureTrace trace = new AzureTraceReader().read(files, FunctionSelection.top(4), 1, OptionalInt.of(3));
    assertThat(trace.functions()).hasSize(4);
    assertThat(trace.totalInvocations()).isEqualTo(26);
    AzureWorkload workload = AzureWorkload.of(trace, WorkloadLimits.DEFAULT, MinuteSpread.EXPONENTIAL, new SpeedUp(SPEED_UP), SEED,
        MemoryModel.RESIDENT);

    ReplayDriver driver = new ReplayDriver(DriverSettings.defaults(URI.create(node.url())), ProgressListener.NONE);
    driver.deploy(workload.deployed());
    RunResult result = driver.runOpenLoop(workload.schedule());

    assertThat(result.invocations()).hasSize(26);
    for (AzureWorkload.Replayed function : workload.functions()) {
      assertThat(result.invocations().stream().filter(r -> r.function().equals(function.deployed().name())).count())
          .as(function.deployed().name()).isEqualTo(function.trace().totalInvocations());
    }
    assertThat(result.invocations()).allSatisfy(r ->
        assertThat(!r.startKind().isEmpty() || !r.errorKind().isEmpty()).as("start kind or error of %s", r).isTrue());
    assertThat(result.invocations()).filteredOn(InvocationRecord::succeeded).isNotEmpty()
        .extracting(InvocationRecord::startKind).contains("cold");
    assertThat(result.status()).isNotEmpty();
    assertThat(result.status()).allSatisfy(s -> assertThat(s.memoryCapacityMb()).isPositive());

    Path out = dir.resolve("results");
    RunDescription description = new RunDescription("azure", node.url(), SEED, SPEED_UP, 10, Map.of("window", "minutes 1-3"),
        workload.deployed().stream().map(f -> new RunDescription.DeployedFunction(f.name(), f.origin(), f.memoryMb(), f.timeoutMs()))
            .toList());
    ResultsDirectory.write(out, description, result);
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).path("summary");
    assertThat(summary.path("invocations").asInt()).isEqualTo(26);
    long byStartKind = 0;
    for (JsonNode count : summary.path("byStartKind")) {
      byStartKind += count.asLong();
    }
    assertThat(byStartKind).isEqualTo(26);
    List<String> lines = Files.readAllLines(out.resolve("invocations.csv"));
    assertThat(lines).hasSize(1 + 26);
    assertThat(Files.readString(out.resolve("report.html"))).contains("<svg");
  }
}
