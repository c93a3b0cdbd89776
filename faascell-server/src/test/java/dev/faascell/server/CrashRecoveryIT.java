package dev.faascell.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faascell.testing.Await;
import dev.faascell.testing.DaemonProcesses;
import dev.faascell.testing.Http;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the daemon with VMs running and an invocation in flight: its QEMU processes die with it;
 * the restarted daemon removes their sockets, RAM files and cgroups, keeps every function and valid
 * snapshot, reports the cut-off invocation as failed (never runs it again), and serves. The same holds
 * for a daemon killed while it writes a snapshot (the half-written one is never served) or while it
 * restores one (the snapshot stays and serves), and a second daemon on a live daemon's run dir is refused.
 */
class CrashRecoveryIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private Path dir;
  private DaemonProcesses daemons;

  @BeforeEach
  void prepare() throws Exception {
    dir = TestNodes.tempDir("fc-crash-");
    daemons = new DaemonProcesses(dir, "faascell.cgroups.enabled = on");   // the cgroups these tests look for exist
  }

  @AfterEach
  void cleanUp() throws Exception {
    daemons.stopAll();
    TestNodes.delete(dir);
  }

  @Test
  void aDaemonKilledWithMinus9RestartsCleanWithItsFunctionsAndSnapshots() throws Exception {
    DaemonProcesses.Daemon first = daemons.start();
    Http http = new Http(first.url());
    http.deploy("napper", "python", "main.handle", "main.py",
        "import time\ndef handle(event):\n    time.sleep(event['s'])\n    return 'rested'\n", "\"timeoutMs\":60000");
    assertThat(http.invoke("hello", "{}").status()).isEqualTo(200);
    Await.until(() -> http.get("/v1/snapshots").json().path("snapshots").size() >= 1, WAIT, "a snapshot");
    String snapshot = http.get("/v1/snapshots").json().path("snapshots").get(0).path("id").asText();
    assertThat(http.invoke("napper", "{\"s\":0}").status()).isEqualTo(200);   // its VM is warm: the next run shows busy
    CompletableFuture<Integer> cutOff = CompletableFuture.supplyAsync(() -> {
      try {
        return http.invoke("napper", "{\"s\":60}").status();
      } catch (RuntimeException e) {
        return -1;   // the connection dies with the daemon
      }
    });
    Await.until(() -> http.get("/v1/status").json().path("vms").findValuesAsText("state").contains("busy"), WAIT,
        "a busy VM");

    Http restarted = new Http(killAndRestart(first).url());
    assertThat(cutOff.get()).isEqualTo(-1);
    assertThat(restarted.get("/v1/functions").json().path("functions").findValuesAsText("name"))
        .contains("hello", "echo", "napper");
    assertThat(restarted.get("/v1/snapshots").json().path("snapshots").findValuesAsText("id")).contains(snapshot);

    JsonNode lost = restarted.get("/v1/invocations?function=napper").json().path("invocations");
    assertThat(lost).hasSize(1);
    assertThat(lost.get(0).path("outcome").asText()).isEqualTo("lost-in-restart");
    assertThat(lost.get(0).path("httpStatus").asInt()).isEqualTo(503);
    assertThat(restarted.get("/metrics").body()).doesNotContain("function=\"napper\",outcome=\"ok\"");

    var reply = restarted.invoke("hello", "{}");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("startKind").asText()).isEqualTo("restore");
  }

  @Test
  void aDaemonKilledMidSnapshotOrMidRestoreServesOnlyCompleteSnapshotsAndLeavesNoTraceOfItsVms() throws Exception {
    DaemonProcesses.Daemon first = daemons.start();
    Http http = new Http(first.url());
    assertThat(http.invoke("hello", "{}").status()).isEqualTo(200);
    Await.until(() -> snapshotIds(http).size() == 1, WAIT, "hello's snapshot");
    String helloSnapshot = snapshotIds(http).get(0);

    // a second daemon on the run dir of a live one is refused before it touches the first one's VMs
    List<ProcessHandle> firstVms = RealNodes.qemuProcessesUnder(daemons.runDir());
    assertThat(daemons.startExpectingExit()).isNotZero();
    assertThat(daemons.log()).contains("another FaaSCell daemon is running with run dir " + daemons.runDir());
    assertThat(firstVms).isNotEmpty().allMatch(ProcessHandle::isAlive);
    assertThat(http.invoke("hello", "{}").json().path("startKind").asText()).isEqualTo("warm");

    // killed while napper's first snapshot is being written
    http.deploy("napper", "python", "main.handle", "main.py",
        "import time\ndef handle(event):\n    time.sleep(event['s'])\n    return 'rested'\n", "\"timeoutMs\":60000");
    Path staging = TestNodes.shmDir(dir).resolve("snapshots").resolve(".staging");
    CompletableFuture<Integer> cutOff = invokeUntilCutOff(http, "napper", "{\"s\":0}");
    awaitClosely(() -> !entriesIn(staging).isEmpty(), "napper's snapshot being written");
    DaemonProcesses.Daemon secondDaemon = killAndRestart(first);
    Http second = new Http(secondDaemon.url());
    assertThat(cutOff.get()).isEqualTo(-1);
    assertThat(snapshotIds(second)).containsExactly(helloSnapshot);
    assertThat(entriesIn(staging)).isEmpty();
    for (Path tier : List.of(TestNodes.shmDir(dir).resolve("snapshots"), dir.resolve("state").resolve("snapshots"))) {
      assertThat(entriesIn(tier)).as(tier.toString())
          .noneMatch(entry -> entry.getFileName().toString().startsWith("napper"));
    }
    var coldAgain = second.invoke("napper", "{\"s\":0}");
    assertThat(coldAgain.status()).as(coldAgain.body()).isEqualTo(200);
    assertThat(coldAgain.json().path("startKind").asText()).isEqualTo("cold");
    Await.until(() -> snapshotIds(second).size() == 2, WAIT, "napper's snapshot");
    String napperSnapshot = snapshotIds(second).stream().filter(id -> !id.equals(helloSnapshot)).findFirst()
        .orElseThrow();

    // killed while it restores napper's snapshot: three at once, one warm VM, so at least two restore
    List<CompletableFuture<Integer>> restoring = List.of(invokeUntilCutOff(second, "napper", "{\"s\":3}"),
        invokeUntilCutOff(second, "napper", "{\"s\":3}"), invokeUntilCutOff(second, "napper", "{\"s\":3}"));
    awaitClosely(() -> vmStates(second).contains("restoring"), "a VM restoring");
    Http third = new Http(killAndRestart(secondDaemon).url());
    for (CompletableFuture<Integer> invocation : restoring) {
      assertThat(invocation.get()).isEqualTo(-1);
    }
    assertThat(snapshotIds(third)).containsExactlyInAnyOrder(helloSnapshot, napperSnapshot);
    var restored = third.invoke("napper", "{\"s\":0}");
    assertThat(restored.status()).as(restored.body()).isEqualTo(200);
    assertThat(restored.json().path("startKind").asText()).isEqualTo("restore");
  }

  /**
   * kill -9 of the daemon, then a new one on the same directories: no QEMU, run directory, cgroup or RAM
   * file of the killed daemon's VMs remains (what remains belongs to the new daemon's own VMs).
   */
  private DaemonProcesses.Daemon killAndRestart(DaemonProcesses.Daemon daemon) throws Exception {
    List<ProcessHandle> orphans = RealNodes.qemuProcessesUnder(daemons.runDir());
    List<Long> orphanPids = orphans.stream().map(ProcessHandle::pid).toList();
    assertThat(orphans).isNotEmpty();
    assertThat(RealNodes.vmCgroupsUnder(dir.getFileName().toString()))
        .as("the VMs' cgroups, which must go").isNotEmpty();
    Path ramFiles = TestNodes.shmDir(dir).resolve("vms");
    assertThat(RealNodes.leftoversIn(ramFiles)).as("the VMs' RAM files, which must go").isNotEmpty();

    daemon.process().destroyForcibly().waitFor();   // kill -9: no shutdown hook runs
    // no QEMU outlives its daemon: the daemon's watchdog kills them as soon as it is gone
    Await.until(() -> orphans.stream().noneMatch(ProcessHandle::isAlive), Duration.ofSeconds(10), "orphans killed");
    DaemonProcesses.Daemon restarted = daemons.start();

    // what is in the run dir now belongs to the new daemon's own VMs (it keeps a QEMU waiting per snapshot)
    for (Path vmDir : RealNodes.leftoversIn(daemons.runDir())) {
      long pid = Long.parseLong(Files.readString(vmDir.resolve("qemu.pid")).strip());
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as(vmDir.toString()).hasValue(true);
      assertThat(orphanPids).doesNotContain(pid);
    }

    for (Path cgroup : RealNodes.vmCgroupsUnder(dir.getFileName().toString())) {
      List<Long> members = RealNodes.processesIn(cgroup);
      assertThat(members).as("%s belongs to a live VM of the new daemon", cgroup).isNotEmpty()
          .allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .doesNotContainAnyElementsOf(orphanPids);
    }
    assertThat(RealNodes.leftoversIn(ramFiles)).isEmpty();
    assertThat(orphans).noneMatch(ProcessHandle::isAlive);
    return restarted;
  }

  /** An invocation whose connection the test expects to die with its daemon: -1 then, else its status. */
  private static CompletableFuture<Integer> invokeUntilCutOff(Http http, String function, String payload) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return http.invoke(function, payload).status();
      } catch (RuntimeException e) {
        return -1;
      }
    });
  }

  /** Polls every few milliseconds: the states it waits for (writing a snapshot, restoring) last under a second. */
  private static void awaitClosely(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(2);
    }
  }

  private static List<String> snapshotIds(Http http) {
    return http.get("/v1/snapshots").json().path("snapshots").findValuesAsText("id");
  }

  private static List<String> vmStates(Http http) {
    return http.get("/v1/status").json().path("vms").findValuesAsText("state");
  }

  private static List<Path> entriesIn(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var entries = Files.list(dir)) {
      return entries.toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
