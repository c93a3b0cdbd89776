package dev.faascell.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faascell.testing.Await;
import dev.faascell.testing.Http;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.TestNodes;
import dev.faascell.vmm.SnapshotFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bursts on real VMs with the node's default capacity (start slots, memory accounting): a burst of a
 * function with a snapshot restores every VM it needs, a start slot at a time, and none boots cold; a
 * burst against a corrupted snapshot falls back to cold boots, still within the slots, and succeeds.
 * Only keep-alive is shortened, so that the burst finds no warm VM.
 */
class BurstIT {
  private static final String NAPPER = "import time\ndef handle(event):\n    time.sleep(event['s'])\n    return 'rested'\n";
  private static final Map<String, Object> CONFIG = Map.of(
      "faascell.keep-alive.ttl", "1s", "faascell.keep-alive.check-interval", "200ms");
  private static final Set<String> STARTING = Set.of("restoring", "booting", "initialising", "snapshotting");

  private Path dir;
  private Node node;
  private Http http;
  private final ExecutorService callers = Executors.newFixedThreadPool(32);

  @BeforeEach
  void start() throws Exception {
    dir = TestNodes.tempDir("fc-burst-");
    node = RealNodes.start(dir, CONFIG);
    http = new Http(node.url());
    assertThat(http.deploy("napper", "python", "main.handle", "main.py", NAPPER, "\"timeoutMs\":60000").status())
        .isEqualTo(201);
    assertThat(http.invoke("napper", "{\"s\":0}").status()).isEqualTo(200);
    Await.until(() -> http.get("/v1/snapshots").json().path("snapshots").size() == 1, Duration.ofSeconds(60),
        "the first boot's snapshot");
    Await.until(() -> http.get("/v1/status").json().path("vms").isEmpty(), Duration.ofSeconds(30), "no warm VM");
  }

  @AfterEach
  void stop() throws Exception {
    callers.shutdownNow();
    if (node != null) {
      node.close();
    }
    assertThat(RealNodes.qemuProcessesUnder(dir)).isEmpty();
    TestNodes.delete(dir);
  }

  /** Runs {@code count} invocations at once while watching how many VM starts run together. */
  private List<Http.Reply> burst(int count, String payload, AtomicInteger mostStarting) throws Exception {
    AtomicBoolean watching = new AtomicBoolean(true);
    CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
      while (watching.get()) {
        JsonNode status = http.get("/v1/status").json();
        int starting = 0;
        for (JsonNode vm : status.path("vms")) {
          starting += STARTING.contains(vm.path("state").asText()) ? 1 : 0;
        }
        int inUse = Math.max(starting, status.path("node").path("startSlotsInUse").asInt());
        mostStarting.accumulateAndGet(inUse, Math::max);
      }
    });
    List<CompletableFuture<Http.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      replies.add(CompletableFuture.supplyAsync(() -> http.invoke("napper", payload), callers));
    }
    List<Http.Reply> done = new ArrayList<>();
    for (CompletableFuture<Http.Reply> reply : replies) {
      done.add(reply.get());
    }
    watching.set(false);
    watcher.get();
    return done;
  }

  private int startSlots() {
    return http.get("/v1/status").json().path("node").path("startSlots").asInt();
  }

  @Test
  void thirtyAtOnceOfASnapshottedFunctionAllSucceedAndNoneBootsCold() throws Exception {
    AtomicInteger mostStarting = new AtomicInteger();
    List<Http.Reply> replies = burst(30, "{\"s\":10}", mostStarting);
    assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).as(reply.body()).isEqualTo(200));
    assertThat(replies).extracting(reply -> reply.json().path("startKind").asText()).doesNotContain("cold");
    assertThat(mostStarting.get()).isBetween(1, startSlots());
    String metrics = http.get("/metrics").body();
    assertThat(metrics).doesNotContain("faascell_start_fallbacks_total{");
    // every restore waited for its slot in line; the trace says how long
    JsonNode traces = http.get("/v1/invocations?function=napper&limit=100").json().path("invocations");
    long restores = 0;
    for (JsonNode trace : traces) {
      if (trace.path("startKind").asText().equals("restore")) {
        restores++;
        assertThat(trace.path("timestampsUs").path("slotGranted").isNumber()).isTrue();
        assertThat(trace.path("stagesUs").has("slotWait")).isTrue();
      }
    }
    assertThat(restores).as("restores; the others waited for a VM that had just restored").isPositive();
  }

  @Test
  void aBurstAgainstACorruptedSnapshotFallsBackToColdBootsWithinTheStartSlots() throws Exception {
    Path snapshotDir = Path.of(http.get("/v1/snapshots").json().path("snapshots").get(0).path("directory").asText());
    Path state = snapshotDir.resolve(SnapshotFiles.STATE_FILE);
    byte[] bytes = Files.readAllBytes(state);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 64 && i < bytes.length; i++) {
      bytes[i] ^= 0x5a;   // flipped bits, same size
    }
    Files.write(state, bytes);
    AtomicInteger mostStarting = new AtomicInteger();
    List<Http.Reply> replies = burst(4, "{\"s\":1}", mostStarting);
    assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).as(reply.body()).isEqualTo(200));
    assertThat(replies).extracting(reply -> reply.json().path("startKind").asText()).containsOnly("cold");
    assertThat(mostStarting.get()).isBetween(1, startSlots());
    assertThat(http.get("/metrics").body()).contains("faascell_start_fallbacks_total{reason=\"broken-snapshot\"");
    Await.until(() -> !Files.exists(snapshotDir), Duration.ofSeconds(30), "the corrupted snapshot discarded");
  }
}
