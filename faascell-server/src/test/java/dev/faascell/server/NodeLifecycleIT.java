package dev.faascell.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.testing.Await;
import dev.faascell.testing.DaemonProcesses;
import dev.faascell.testing.Http;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node's life on real VMs: overload, restart with state intact, and stopping without leftovers. */
class NodeLifecycleIT {
  private Path dir;

  @BeforeEach
  void makeDir() throws Exception {
    dir = TestNodes.tempDir("fc-life-");
  }

  @AfterEach
  void removeDir() throws Exception {
    TestNodes.delete(dir);
  }

  @Test
  void overloadGets429WithRetryAfterAndNothingAdmittedIsLost() throws Exception {
    try (Node node = RealNodes.start(dir, Map.of("faascell.node.max-vms", 1, "faascell.dispatcher.queue-capacity", 2))) {
      Http http = new Http(node.url());
      http.deploy("napper", "python", "main.handle", "main.py",
          "import time\ndef handle(event):\n    time.sleep(0.5)\n    return event\n", "");
      List<CompletableFuture<Http.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int n = i;
        replies.add(CompletableFuture.supplyAsync(() -> http.invoke("napper", "{\"n\":" + n + "}")));
      }
      int ok = 0;
      int refused = 0;
      for (int i = 0; i < replies.size(); i++) {
        Http.Reply reply = replies.get(i).get(3, TimeUnit.MINUTES);
        if (reply.status() == 200) {
          assertThat(reply.json().path("result").path("n").asInt()).isEqualTo(i);
          ok++;
        } else {
          assertThat(reply.status()).as(reply.body()).isEqualTo(429);
          assertThat(reply.raw().headers().firstValue("Retry-After")).isPresent();
          refused++;
        }
      }
      assertThat(refused).isPositive();
      assertThat(ok).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aRestartedNodeKeepsItsFunctionsAndLeavesNothingBehindWhenStopped() throws Exception {
    Path runDir = dir.resolve("run");
    try (Node node = RealNodes.start(dir, Map.of())) {
      Http http = new Http(node.url());
      http.deploy("keeper", "python", "main.handle", "main.py", "def handle(event):\n    return {'kept': event}\n", "");
      assertThat(http.invoke("keeper", "1").json().path("result").path("kept").asInt()).isEqualTo(1);
      assertThat(RealNodes.qemuProcessesUnder(runDir)).isNotEmpty();
    }
    assertThat(RealNodes.qemuProcessesUnder(runDir)).isEmpty();
    assertThat(RealNodes.leftoversIn(runDir)).isEmpty();

    try (Node node = RealNodes.start(dir, Map.of())) {
      Http http = new Http(node.url());
      var reply = http.invoke("keeper", "2");
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().path("result").path("kept").asInt()).isEqualTo(2);
      assertThat(reply.json().path("startKind").asText()).isEqualTo("cold");
    }
    assertThat(RealNodes.qemuProcessesUnder(runDir)).isEmpty();
  }

  /**
   * SIGTERM drains: the invocation in flight finishes with 200, one sent meanwhile gets 503
   * shutting-down from a still-bound API, and then every VM stops.
   */
  @Test
  void sigtermDrainsTheInvocationsInFlightRefusesNewOnesThenStopsEveryVm() throws Exception {
    DaemonProcesses daemons = new DaemonProcesses(dir);
    try {
      DaemonProcesses.Daemon daemon = daemons.start();
      Http http = new Http(daemon.url());
      http.deploy("napper", "python", "main.handle", "main.py",
          "import time\ndef handle(event):\n    time.sleep(event['s'])\n    return 'rested'\n", "\"timeoutMs\":60000");
      assertThat(http.invoke("hello", "{}").json().path("startKind").asText()).isEqualTo("cold");
      CompletableFuture<Http.Reply> inFlight = CompletableFuture.supplyAsync(() -> http.invoke("napper", "{\"s\":4}"));
      Await.until(() -> http.get("/v1/status").json().path("vms").findValuesAsText("state").contains("busy"),
          Duration.ofSeconds(60), "napper running");
      assertThat(RealNodes.qemuProcessesUnder(daemons.runDir())).hasSizeGreaterThanOrEqualTo(2);

      daemon.process().destroy();   // SIGTERM
      // hello has an idle VM: it answers 200 until the drain begins, then only the drain refuses it; an
      // API that stopped listening fails the invocation outright
      AtomicReference<Http.Reply> refused = new AtomicReference<>();
      Await.until(() -> {
        refused.set(http.invoke("hello", "{}"));
        return refused.get().status() != 200;
      }, Duration.ofSeconds(10), "hello refused");
      assertThat(refused.get().status()).as(refused.get().body()).isEqualTo(503);
      assertThat(refused.get().json().path("error").path("kind").asText()).isEqualTo("shutting-down");
      assertThat(inFlight.isDone()).as("the drain waits for the invocation in flight").isFalse();

      Http.Reply finished = inFlight.get(60, TimeUnit.SECONDS);
      assertThat(finished.status()).as(finished.body()).isEqualTo(200);
      assertThat(finished.json().path("result").asText()).isEqualTo("rested");
      assertThat(daemon.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(RealNodes.qemuProcessesUnder(daemons.runDir())).isEmpty();
      assertThat(RealNodes.leftoversIn(daemons.runDir())).isEmpty();
      assertThat(daemons.log()).contains("event=node-drained").contains("event=node-stopped");
    } finally {
      daemons.stopAll();
    }
  }
}
