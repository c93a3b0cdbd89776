package dev.faascell.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.testing.DaemonProcesses;
import dev.faascell.testing.Http;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.TestNodes;
import dev.faascell.util.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exhausted resources on real VMs: full file systems (small tmpfs mounts stand in for a full disk and
 * a full /dev/shm) cost the snapshot, never the invocation; a daemon out of file descriptors fails
 * only the VM it cannot start, with the reason, and leaves nothing behind once it has them again.
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

  @Test
  void aDaemonOutOfFileDescriptorsFailsTheVmItCannotStartAndKeepsServingTheOthers() throws Exception {
    DaemonProcesses daemons = new DaemonProcesses(dir);
    try {
      DaemonProcesses.Daemon daemon = daemons.start();
      Http http = new Http(daemon.url());
      assertThat(http.invoke("hello", "{}").status()).isEqualTo(200);   // a warm VM to keep serving
      long pid = daemon.process().pid();
      String[] limit = openFileLimit(pid);
      // room to accept a connection, none to start a QEMU process; counted once the node is quiet
      // (hello's first boot snapshotted, a QEMU started to wait for its next restore)
      setOpenFileLimit(pid, Long.toString(settledOpenFiles(http, pid) + 2), limit[1]);
      var starved = http.invoke("echo", "starved");
      var warm = http.invoke("hello", "{\"name\":\"still here\"}");
      setOpenFileLimit(pid, limit[0], limit[1]);

      assertThat(starved.status()).as(starved.body()).isEqualTo(502);
      assertThat(starved.json().path("error").path("message").asText()).contains("Too many open files");
      assertThat(warm.status()).as(warm.body()).isEqualTo(200);
      assertThat(warm.json().path("result").path("greeting").asText()).isEqualTo("Hello, still here!");
      var recovered = http.invoke("echo", "back");
      assertThat(recovered.status()).as(recovered.body()).isEqualTo(200);
      assertThat(recovered.body()).contains("back");
      assertThat(daemons.runDir().resolve(starved.json().path("vmId").asText()))
          .as("the starved VM's directory, deleted once descriptors were back").doesNotExist();
    } finally {
      daemons.stopAll();
    }
  }

  /** How many files the daemon has open once its snapshot exists and the count held for 3 s. */
  private static long settledOpenFiles(Http http, long pid) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    long last = -1;
    for (int unchanged = 0; unchanged < 15 || snapshotIds(http).isEmpty(); Thread.sleep(200)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the daemon's open files did not settle");
      }
      try (var open = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
        long now = open.count();
        unchanged = now == last ? unchanged + 1 : 0;
        last = now;
      }
    }
    return last;
  }

  /** The soft and hard limit on open files of a process, as /proc/PID/limits gives them. */
  private static String[] openFileLimit(long pid) throws Exception {
    String line = Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits")).stream()
        .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
    String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
    return new String[] {fields[0], fields[1]};
  }

  private static void setOpenFileLimit(long pid, String soft, String hard) throws Exception {
    Command.of("prlimit", "--pid", Long.toString(pid), "--nofile=" + soft + ":" + hard).run();
  }
}
