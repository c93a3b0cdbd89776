package dev.faascell.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.server.Node;
import dev.faascell.testing.Await;
import dev.faascell.testing.Http;
import dev.faascell.testing.PrometheusText;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Trace records, PerfManager numbers, Prometheus metrics and status, from real VMs. */
class RealVmObservabilityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private Path dir;

  @BeforeEach
  void makeDir() throws Exception {
    dir = TestNodes.tempDir("fc-obs-");
  }

  @AfterEach
  void removeDir() throws Exception {
    TestNodes.delete(dir);
  }

  @Test
  void coldRestoreAndWarmInvocationsLeaveOrderedTracesAndMetrics() throws Exception {
    Map<String, Object> config = Map.of("faascell.keep-alive.ttl", "1s", "faascell.keep-alive.check-interval", "200ms",
        "faascell.perf.sample-interval", "500ms");
    try (Node node = RealNodes.start(dir, config)) {
      Http http = new Http(node.url());
      assertThat(http.invoke("hello", "{}").json().path("startKind").asText()).isEqualTo("cold");
      Await.until(() -> http.get("/v1/snapshots").json().path("snapshots").size() == 1
          && http.get("/v1/status").json().path("vms").isEmpty(), WAIT, "a snapshot and no VM");
      assertThat(http.invoke("hello", "{}").json().path("startKind").asText()).isEqualTo("restore");
      assertThat(http.invoke("hello", "{}").json().path("startKind").asText()).isEqualTo("warm");
      JsonNode status = http.get("/v1/status").json();
      Await.until(() -> http.get("/v1/status").json().path("vms").path(0).path("host").path("pssKb").asLong() > 0,
          WAIT, "the VM's PSS sampled");

      List<JsonNode> traces = JSON.readerForListOf(JsonNode.class)
          .readValue(http.get("/v1/invocations?function=hello&limit=10").json().path("invocations"));
      assertThat(traces).extracting(t -> t.path("startKind").asText()).containsExactly("cold", "restore", "warm");
      for (JsonNode trace : traces) {
        long sum = 0;
        for (JsonNode stage : trace.path("stagesUs")) {
          assertThat(stage.asLong()).isNotNegative();
          sum += stage.asLong();
        }
        assertThat(Math.abs(sum - trace.path("totalUs").asLong())).as(trace.toString()).isLessThanOrEqualTo(1000);
        long previous = -1;
        for (JsonNode stamp : trace.path("timestampsUs")) {
          if (!stamp.isNull()) {
            assertThat(stamp.asLong()).as(trace.toString()).isGreaterThanOrEqualTo(previous);
            previous = stamp.asLong();
          }
        }
        assertThat(trace.path("guestExecUs").asLong()).as(trace.toString()).isPositive();
        assertThat(trace.path("host").path("cpuUs").asLong()).as(trace.toString()).isPositive();
        assertThat(trace.path("host").path("rssKb").asLong()).isPositive();
      }
      assertThat(traces.get(0).path("startupUs").path("boot").asLong()).isPositive();
      assertThat(traces.get(0).path("startupUs").path("init").asLong()).isPositive();
      assertThat(traces.get(1).path("startupUs").path("restore").asLong()).isPositive();
      assertThat(traces.get(1).path("snapshot").path("tier").asText()).isEqualTo("ram");
      Path traceFile = dir.resolve("state/traces/invocations.jsonl");
      // the Sink hands the file to the OS once a second
      Await.until(() -> lines(traceFile).size() >= 3, WAIT, "three trace records in the file");
      assertThat(lines(traceFile))
          .allSatisfy(line -> assertThat(JSON.readTree(line).has("stagesUs")).isTrue());

      List<PrometheusText.Sample> samples = PrometheusText.parse(http.get("/metrics").body());
      Set<String> startKinds = samples.stream().filter(s -> s.name().equals("faascell_invocations_total"))
          .map(s -> s.labels().get("start_kind")).collect(Collectors.toSet());
      assertThat(startKinds).contains("cold", "restore", "warm");
      assertThat(samples).anyMatch(s -> s.name().equals("faascell_stage_duration_seconds_bucket")
          && "restore".equals(s.labels().get("stage")));
      assertThat(samples).anyMatch(s -> s.name().equals("faascell_snapshots") && "ram".equals(s.labels().get("tier"))
          && s.value() == 1);
      assertThat(samples).anyMatch(s -> s.name().equals("faascell_vms_memory_pss_bytes") && s.value() > 0);
      assertThat(status.path("node").path("startSlots").asInt()).isPositive();
      assertThat(status.path("node").path("hostAvailableMb").asLong()).isPositive();
      assertThat(samples).anyMatch(s -> s.name().equals("faascell_node_memory_accounted_bytes") && s.value() > 0);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
