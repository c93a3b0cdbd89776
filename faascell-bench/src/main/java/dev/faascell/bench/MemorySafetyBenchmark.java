package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faascell.config.HostMemory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * N invocations at once with the start budget raised to N, so that only the memory accounting, the
 * host guard and the node cgroup stand between the burst and the host: what the node runs, refuses
 * or queues, the lowest MemAvailable the host showed against the node's reserve, and whether the
 * daemon (this process) survived.
 */
@Command(name = "memory-safety", description = "N at once with N start slots: the host never drops below its reserve.")
final class MemorySafetyBenchmark implements Callable<Integer> {
  @Option(names = "--n", defaultValue = "300")
  int n;

  @Option(names = "--sleep", defaultValue = "20")
  int sleepSeconds;

  @Mixin
  LoadOptions options;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", Machine.describe());
    long before = HostMemory.availableMb();
    try (LoadNode load = LoadNode.start(options.imageCache, Map.of("faascell.node.start-slots", n,
        "faascell.keep-alive.ttl", "2s", "faascell.keep-alive.check-interval", "200ms"))) {
      JsonNode node = load.get("/v1/status").path("node");
      long reserve = node.path("memoryReserveMb").asLong();
      load.napperWithSnapshot("napper");
      long start = System.nanoTime();
      List<LoadNode.Call> calls;
      long low;
      try (LoadNode.HostMemoryLow sampler = new LoadNode.HostMemoryLow()) {
        calls = load.burst("napper", "{\"s\":" + sleepSeconds + "}", n);
        low = sampler.lowestMb();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Integer> outcomes = new TreeMap<>();
      for (LoadNode.Call call : calls) {
        String outcome = call.status() == 200 ? "200 " + call.reply().path("startKind").asText()
            : call.status() + " " + call.reply().path("error").path("kind").asText();
        outcomes.merge(outcome, 1, Integer::sum);
      }
      results.put("n", n);
      results.put("outcomes", outcomes);
      results.put("host_available_before_mb", before);
      results.put("host_available_low_mb", low);
      results.put("reserve_mb", reserve);
      results.put("cold_fallbacks", load.counter("faascell_start_fallbacks_total", ""));
      results.put("restore_retries", load.counter("faascell_start_retries_total", ""));
      results.put("vm_crashes", load.counter("faascell_vmm_crashes_total", ""));
      results.put("seconds", seconds);
      results.put("daemon_survived", load.get("/healthz") != null);
      System.out.println("| N | start slots | outcomes | host MemAvailable before / lowest MiB | reserve MiB "
          + "| cold fallbacks | restore retries | VM crashes | daemon | seconds |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|");
      System.out.printf(Locale.ROOT, "| %d | %d | %s | %d / %d | %d | %.0f | %.0f | %.0f | %s | %.0f |%n", n, n, outcomes,
          before, low, reserve, results.get("cold_fallbacks"), results.get("restore_retries"), results.get("vm_crashes"),
          "alive", seconds);
      System.out.println("machine: " + results.get("machine"));
    }
    options.write(results);
    return 0;
  }
}
