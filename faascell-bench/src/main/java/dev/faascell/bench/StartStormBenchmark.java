package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * k functions' first invocations at once (no VM, no snapshot: k cold boots), on a node with its default
 * start slots: each cold boot's own duration (slot to ready: boot, init and the first-boot snapshot)
 * against an isolated cold boot of the same function measured first, and the time each waited for a
 * slot, reported apart.
 */
@Command(name = "start-storm", description = "k first invocations at once: each cold boot's own time vs an isolated one.")
final class StartStormBenchmark implements Callable<Integer> {
  @Option(names = "--k", defaultValue = "8")
  int k;

  @Mixin
  LoadOptions options;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", Machine.describe());
    try (LoadNode load = LoadNode.start(options.imageCache, Map.of())) {
      load.deployNapper("alone", 1);
      JsonNode isolated = trace(load, "alone", load.invoke("alone", "{\"s\":0}"));
      long isolatedOwn = own(isolated);
      for (int i = 1; i <= k; i++) {
        load.deployNapper("storm-" + i, 1);
      }
      List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
      for (int i = 1; i <= k; i++) {
        String name = "storm-" + i;
        calls.add(CompletableFuture.supplyAsync(() -> {
          try {
            return trace(load, name, load.invoke(name, "{\"s\":0}"));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      List<Long> owns = new ArrayList<>();
      List<Long> waits = new ArrayList<>();
      for (CompletableFuture<JsonNode> call : calls) {
        JsonNode trace = call.get();
        owns.add(own(trace));
        waits.add(trace.path("stagesUs").path("slotWait").asLong() * 1000);
      }
      Stats own = Stats.of(owns);
      Stats wait = Stats.of(waits);
      results.put("isolated_cold_ms", isolatedOwn / 1e6);
      results.put("storm_own", own);
      results.put("storm_slot_wait", wait);
      results.put("start_slots", load.get("/v1/status").path("node").path("startSlots").asInt());
      System.out.println("| cold boot (slot to ready: boot + init + snapshot) | n | p50 ms | p90 ms | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|---|");
      System.out.printf(Locale.ROOT, "| isolated | 1 | %.0f | | | |%n", isolatedOwn / 1e6);
      System.out.println(own.row(k + " at once: each one's own duration"));
      System.out.println(wait.row(k + " at once: waiting for a start slot"));
      System.out.printf(Locale.ROOT, "%nworst own duration / isolated: %.2fx, p50: %.2fx (target <= 1.5x); %d start slots%n",
          own.maxMs() * 1e6 / isolatedOwn, own.p50Ms() * 1e6 / isolatedOwn, results.get("start_slots"));
      System.out.println("machine: " + results.get("machine"));
    }
    options.write(results);
    return 0;
  }

  /** The trace record of the invocation {@code reply} answered. */
  private static JsonNode trace(LoadNode load, String function, JsonNode reply) throws Exception {
    String id = reply.path("invocationId").asText();
    JsonNode[] found = new JsonNode[1];
    LoadNode.await(() -> {
      for (JsonNode trace : load.get("/v1/invocations?function=" + function).path("invocations")) {
        if (trace.path("invocationId").asText().equals(id)) {
          found[0] = trace;
          return true;
        }
      }
      return false;
    }, "the trace of " + id);
    if (!reply.path("startKind").asText().equals("cold")) {
      throw new IllegalStateException(function + " did not boot cold: " + reply);
    }
    return found[0];
  }

  /** The start's own duration: slot granted to VM ready, in nanoseconds. */
  private static long own(JsonNode trace) {
    return trace.path("stagesUs").path("acquire").asLong() * 1000;
  }
}
