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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the daemon with VMs running and an invocation in flight: its QEMU processes die with it;
 * the restarted daemon removes their sockets, RAM files and cgroups, keeps every function and valid
 * snapshot, reports the cut-off invocation as failed (never runs it again), and serves.
 */
class CrashRecoveryIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private Path dir;
  private DaemonProcesses daemons;

  @BeforeEach
  void prepare() throws Exception {
    dir = TestNodes.tempDir("fc-crash-");
    daemons = new DaemonProcesses(dir);
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
    List<ProcessHandle> orphans = RealNodes.qemuProcessesUnder(daemons.runDir());
    assertThat(orphans).isNotEmpty();

    first.process().destroyForcibly().waitFor();   // kill -9: no shutdown hook runs
    assertThat(cutOff.get()).isEqualTo(-1);
    // no QEMU outlives its daemon: the daemon's watchdog kills them as soon as it is gone
    Await.until(() -> orphans.stream().noneMatch(ProcessHandle::isAlive), Duration.ofSeconds(10), "orphans killed");

    Http restarted = new Http(daemons.start().url());
    assertThat(orphans).noneMatch(ProcessHandle::isAlive);
    // what is in the run dir now belongs to the new daemon's own VMs (it keeps a QEMU waiting per snapshot)
    for (Path vmDir : RealNodes.leftoversIn(daemons.runDir())) {
      long pid = Long.parseLong(Files.readString(vmDir.resolve("qemu.pid")).strip());
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as(vmDir.toString()).hasValue(true);
      assertThat(orphans).noneMatch(p -> p.pid() == pid);
    }
    assertThat(RealNodes.leftoversIn(TestNodes.shmDir(dir).resolve("vms"))).isEmpty();
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
}
