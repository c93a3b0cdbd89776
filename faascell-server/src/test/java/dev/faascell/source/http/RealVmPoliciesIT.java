package dev.faascell.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.server.Node;
import dev.faascell.testing.Http;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.TestNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node resource management on real VMs: memory-pressure eviction by the configured keep-alive policy. */
class RealVmPoliciesIT {
  private Path dir;

  @BeforeEach
  void makeDir() throws Exception {
    dir = TestNodes.tempDir("fc-pol-");
  }

  @AfterEach
  void removeDir() throws Exception {
    TestNodes.delete(dir);
  }

  private static List<String> vmFunctions(Http http) {
    List<String> functions = new ArrayList<>();
    http.get("/v1/status").json().path("vms").forEach(vm -> functions.add(vm.path("function").asText()));
    return functions;
  }

  @Test
  void underMemoryPressureGreedyDualEvictsTheVmItRanksLowest() throws Exception {
    // room for exactly two 128 MiB VMs (each reserves 128 + 100 MiB of overhead)
    Map<String, Object> config = Map.of("faascell.node.memory-mb", 460, "faascell.keep-alive.policy", "greedy-dual",
        "faascell.snapshots.policy", "never", "faascell.samples.deploy", false);
    try (Node node = RealNodes.start(dir, config)) {
      Http http = new Http(node.url());
      for (String name : List.of("popular", "rare", "newcomer")) {
        http.deploy(name, "python", "main.handle", "main.py", "def handle(event):\n    return event\n", "");
      }
      assertThat(http.invoke("rare", "1").status()).isEqualTo(200);
      for (int i = 0; i < 4; i++) {
        assertThat(http.invoke("popular", "1").status()).isEqualTo(200);
      }
      assertThat(vmFunctions(http)).containsExactlyInAnyOrder("popular", "rare");

      var newcomer = http.invoke("newcomer", "1");
      assertThat(newcomer.status()).isEqualTo(200);
      assertThat(vmFunctions(http)).containsExactlyInAnyOrder("popular", "newcomer");
      assertThat(http.invoke("popular", "1").json().path("startKind").asText()).isEqualTo("warm");
      assertThat(http.get("/metrics").body())
          .contains("faascell_vm_evictions_total{cause=\"make-room\",policy=\"greedy-dual\"} 1.0");
    }
  }

  @Test
  void underMemoryPressureLruEvictsTheLeastRecentlyUsedVm() throws Exception {
    Map<String, Object> config = Map.of("faascell.node.memory-mb", 460, "faascell.keep-alive.policy", "lru",
        "faascell.snapshots.policy", "never", "faascell.samples.deploy", false);
    try (Node node = RealNodes.start(dir, config)) {
      Http http = new Http(node.url());
      for (String name : List.of("first", "second", "third")) {
        http.deploy(name, "python", "main.handle", "main.py", "def handle(event):\n    return event\n", "");
      }
      http.invoke("first", "1");
      http.invoke("second", "1");
      http.invoke("first", "2");   // second is now the least recently used
      http.invoke("third", "1");
      assertThat(vmFunctions(http)).containsExactlyInAnyOrder("first", "third");
    }
  }
}
