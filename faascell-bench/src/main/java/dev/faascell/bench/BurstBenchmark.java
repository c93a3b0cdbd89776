package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Bursts of N invocations at once of a function that has a snapshot and no warm VM, each sleeping in
 * its VM, on a node with its default capacity: how many succeed, how many boot cold, and how long the
 * node takes to start them all (first invocation received → last VM ready) against N isolated
 * restores spread over the host's cores. Only keep-alive is shortened, so that each burst finds no
 * warm VM.
 */
@Command(name = "burst", description = "N invocations at once of a snapshotted function: success, cold fallbacks, start makespan.")
final class BurstBenchmark implements Callable<Integer> {
  @Option(names = "--sizes", split = ",", defaultValue = "50,100,200")
  List<Integer> sizes;

  @Option(names = "--sleep", defaultValue = "20", description = "seconds each invocation sleeps in its VM")
  int sleepSeconds;

  @Option(names = "--isolated", defaultValue = "5", description = "isolated restores measured first")
  int isolated;

  @Option(names = "--scaling", description = "the scaling policy (default: the node's)")
  String scaling;

  @Mixin
  LoadOptions options;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> overrides = new LinkedHashMap<>(Map.of("faascell.keep-alive.ttl", "2s",
        "faascell.keep-alive.check-interval", "200ms"));
    if (scaling != null) {
      overrides.put("faascell.scaling.policy", scaling);
    }
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", Machine.describe());
    int cores = Runtime.getRuntime().availableProcessors();
    try (LoadNode load = LoadNode.start(options.imageCache, overrides)) {
      JsonNode node = load.get("/v1/status").path("node");
      results.put("start_slots", node.path("startSlots").asInt());
      results.put("scaling", scaling == null ? "default" : scaling);
      load.napperWithSnapshot("napper");
      List<Long> restoreStage = new ArrayList<>();
      for (int i = 0; i < isolated; i++) {
        JsonNode reply = load.invoke("napper", "{\"s\":0}");
        restoreStage.add((long) (reply.path("restoreMs").asDouble() * 1e6));
        load.awaitNoVms();
      }
      Stats restore = Stats.of(restoreStage);
      results.put("isolated_restore", restore);
      System.out.println("| N | succeeded | cold starts | cold fallbacks | restore retries | start makespan s "
          + "| N x isolated restore / cores s | ratio | host MemAvailable low MiB |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int n : sizes) {
        load.awaitNoVms();
        double fallbacksBefore = load.counter("faascell_start_fallbacks_total", "");
        double retriesBefore = load.counter("faascell_start_retries_total", "");
        List<LoadNode.Call> calls;
        long lowMb;
        try (LoadNode.HostMemoryLow low = new LoadNode.HostMemoryLow()) {
          calls = load.burst("napper", "{\"s\":" + sleepSeconds + "}", n);
          lowMb = low.lowestMb();
        }
        long ok = calls.stream().filter(c -> c.status() == 200).count();
        long cold = calls.stream().filter(c -> c.reply().path("startKind").asText().equals("cold")).count();
        double makespan = makespanSeconds(load, n);
        double ideal = n * restore.p50Ms() / 1000.0 / cores;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("n", n);
        row.put("succeeded", ok);
        row.put("cold", cold);
        row.put("cold_fallbacks", load.counter("faascell_start_fallbacks_total", "") - fallbacksBefore);
        row.put("restore_retries", load.counter("faascell_start_retries_total", "") - retriesBefore);
        row.put("makespan_s", makespan);
        row.put("ideal_s", ideal);
        row.put("host_available_low_mb", lowMb);
        rows.add(row);
        System.out.printf(Locale.ROOT, "| %d | %d (%.0f %%) | %d | %.0f | %.0f | %.1f | %.1f | %.2fx | %d |%n", n, ok,
            100.0 * ok / n, cold, row.get("cold_fallbacks"), row.get("restore_retries"), makespan, ideal,
            makespan / ideal, lowMb);
      }
      results.put("bursts", rows);
      System.out.printf(Locale.ROOT, "isolated restore (slot to ready) p50 %.0f ms; %d start slots; %d cores%n",
          restore.p50Ms(), node.path("startSlots").asInt(), cores);
      System.out.println("machine: " + results.get("machine"));
    }
    options.write(results);
    return 0;
  }

  /** First invocation received → last VM ready, over the burst's {@code n} trace records. */
  static double makespanSeconds(LoadNode load, int n) throws Exception {
    double first = Double.MAX_VALUE;
    double last = 0;
    for (JsonNode trace : load.get("/v1/invocations?function=napper&limit=" + n).path("invocations")) {
      double received = Instant.parse(trace.path("receivedAt").asText()).toEpochMilli();
      first = Math.min(first, received);
      JsonNode ready = trace.path("timestampsUs").path("vmReady");
      if (ready.isNumber()) {
        last = Math.max(last, received + ready.asLong() / 1000.0);
      }
    }
    return (last - first) / 1000.0;
  }
}
