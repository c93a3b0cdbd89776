package dev.faascell.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.testing.Http;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.TestNodes;
import dev.faascell.util.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Full file systems on real VMs (small tmpfs mounts stand in for a full disk and a full /dev/shm):
 * the node loses the snapshot, never the invocation, and keeps serving.
 */
class ExhaustionIT {
  private Path dir;
  private Path mount;

  @BeforeEach
  void makeDir() throws Exception {
    dir = TestNodes.tempDir("fc-full-");
    mount = Files.createDirectories(dir.resolve("small"));
  }

  @AfterEach
  void removeDir() throws Exception {
    Command.of("umount", mount.toString()).runAllowingFailure();
    TestNodes.delete(dir);
  }

  private void mountTmpfs(String size) throws Exception {
    Command.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString()).run();
  }

  private static List<String> snapshotIds(Http http) {
    return http.get("/v1/snapshots").json().path("snapshots").findValuesAsText("id");
  }

  @Test
  void aSnapshotTierThatIsFullCostsTheSnapshotNotTheInvocation() throws Exception {
    mountTmpfs("32m");
    Map<String, Object> config = Map.of("faascell.snapshots.tiers",
        List.of(Map.of("name", "ram", "path", mount.toString(), "capacity", "1GiB")));
    try (Node node = RealNodes.start(dir, config)) {
      Http http = new Http(node.url());
      var first = http.invoke("hello", "{\"name\":\"full disk\"}");
      assertThat(first.status()).as(first.body()).isEqualTo(200);
      assertThat(first.json().path("result").path("greeting").asText()).isEqualTo("Hello, full disk!");
      var second = http.invoke("hello", "{}");
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.json().path("startKind").asText()).isEqualTo("warm");
      assertThat(snapshotIds(http)).isEmpty();
      try (var left = Files.list(mount)) {
        assertThat(left.filter(p -> !p.getFileName().toString().equals(".staging")).toList())
            .as("no partial snapshot left on the full tier").isEmpty();
      }
    }
  }

  @Test
  void aFullShmMeansNoSnapshotButTheVmStillBoots() throws Exception {
    mountTmpfs("100m");
    try (Node node = RealNodes.start(dir, Map.of("faascell.shm-dir", mount.toString()))) {
      Http http = new Http(node.url());
      var reply = http.invoke("hello", "{}");
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      assertThat(reply.json().path("startKind").asText()).isEqualTo("cold");
      assertThat(snapshotIds(http)).isEmpty();
      assertThat(http.invoke("echo", "ok").status()).isEqualTo(200);
    }
  }
}
