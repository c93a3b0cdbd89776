package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.faascell.client.ApiResponse;
import dev.faascell.client.FaascellClient;
import dev.faascell.config.FaascellConfig;
import dev.faascell.replay.arrivals.PoissonSource;
import dev.faascell.replay.arrivals.Schedule;
import dev.faascell.replay.arrivals.ScheduledInvocation;
import dev.faascell.replay.workload.WorkRequest;
import dev.faascell.server.Node;
import dev.faascell.util.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The same seeded multi-function open-loop workload (Poisson arrivals, Zipf-skewed rates) replayed
 * under several keep-alive policies at a memory capacity that forces evictions: each policy's cold,
 * restore and warm counts and latency side by side.
 */
@Command(name = "policies", description = "The same synthetic workload under several keep-alive policies.")
final class PoliciesBenchmark implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CODE = "import time\ndef handle(event):\n    time.sleep(event['durationMs'] / 1000)\n"
      + "    return {'slept': event['durationMs']}\n";

  @Option(names = "--policies", defaultValue = "ttl,lru,greedy-dual", split = ",")
  List<String> policies;

  @Option(names = "--functions", defaultValue = "8")
  int functions;

  @Option(names = "--seconds", defaultValue = "120", description = "length of the workload")
  int seconds;

  @Option(names = "--total-rate", defaultValue = "2.0", description = "invocations per second over all functions")
  double totalRate;

  @Option(names = "--work-ms", defaultValue = "50", description = "each invocation sleeps this long in the guest")
  int workMs;

  @Option(names = "--memory-mb", defaultValue = "700", description = "node memory capacity (228 MiB per VM)")
  int memoryMb;

  @Option(names = "--ttl-seconds", defaultValue = "20", description = "the ttl policy's idle timeout")
  int ttlSeconds;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--image-cache", defaultValue = "/var/tmp/faascell-test/images")
  Path imageCache;

  /** What one invocation did. */
  private record Outcome(int status, String startKind, long latencyNanos) {}

  @Override
  public Integer call() throws Exception {
    Schedule schedule = schedule();
    System.err.printf("workload: %d invocations of %d functions over %d s (seed %d)%n", schedule.size(), functions,
        seconds, seed);
    Map<String, Map<String, Object>> results = new LinkedHashMap<>();
    for (String policy : policies) {
      results.put(policy, run(policy, schedule));
    }
    System.out.println("| policy | invocations | cold | restore | warm | failed | evictions | p50 ms | p99 ms |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    results.forEach((policy, r) -> System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %.1f | %.1f |%n",
        policy, r.get("invocations"), r.get("cold"), r.get("restore"), r.get("warm"), r.get("failed"), r.get("evictions"),
        r.get("p50"), r.get("p99")));
    System.out.println("machine: " + Machine.describe());
    return 0;
  }

  /** Poisson arrivals per function; function i's rate is proportional to 1/(i+1) (Zipf). */
  private Schedule schedule() {
    double harmonic = 0;
    for (int i = 0; i < functions; i++) {
      harmonic += 1.0 / (i + 1);
    }
    Map<String, Double> rates = new TreeMap<>();
    for (int f = 0; f < functions; f++) {
      rates.put(function(f), totalRate / harmonic / (f + 1));
    }
    return new PoissonSource(rates, Duration.ofSeconds(seconds), new WorkRequest(workMs, 0), seed).schedule();
  }

  private static String function(int index) {
    return "fn-" + index;
  }

  private Map<String, Object> run(String policy, Schedule schedule) throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-pbench-");
    Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "fc-pbench-");
    FaascellConfig config = FaascellConfig.from(ConfigFactory.parseMap(Map.of(
        "faascell.state-dir", dir.resolve("state").toString(), "faascell.run-dir", dir.resolve("run").toString(),
        "faascell.shm-dir", shm.toString(), "faascell.image.cache-dir", imageCache.toString(), "faascell.api.port", 0,
        "faascell.samples.deploy", false, "faascell.node.memory-mb", memoryMb, "faascell.node.max-vms", 16,
        "faascell.keep-alive.policy", policy, "faascell.keep-alive.ttl", ttlSeconds + "s")));
    ExecutorService senders = Executors.newCachedThreadPool();
    try (Node node = Node.start(config, (a, b, c) -> { })) {
      FaascellClient http = FaascellClient.to(node.url()).build();
      for (int f = 0; f < functions; f++) {
        String body = "{\"runtime\":\"python\",\"code\":{\"file\":\"main.py\",\"text\":" + JSON.writeValueAsString(CODE) + "}}";
        send(http, "PUT", "/v1/functions/" + function(f), body);
      }
      System.err.println("policy " + policy + ": replaying");
      long start = System.nanoTime();
      List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
      for (ScheduledInvocation arrival : schedule.invocations()) {
        long wait = start + arrival.offsetNanos() - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        outcomes.add(CompletableFuture.supplyAsync(() -> invoke(http, arrival), senders));
      }
      Map<String, Integer> kinds = new HashMap<>();
      List<Long> latencies = new ArrayList<>();
      int failed = 0;
      for (var future : outcomes) {
        Outcome outcome = future.join();
        if (outcome.status() != 200) {
          failed++;
        } else {
          kinds.merge(outcome.startKind(), 1, Integer::sum);
          latencies.add(outcome.latencyNanos());
        }
      }
      Stats stats = Stats.of(latencies);
      String metrics = send(http, "GET", "/metrics", null);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("invocations", schedule.size());
      result.put("cold", kinds.getOrDefault("cold", 0));
      result.put("restore", kinds.getOrDefault("restore", 0));
      result.put("warm", kinds.getOrDefault("warm", 0));
      result.put("failed", failed);
      result.put("evictions", (int) metrics.lines().filter(l -> l.startsWith("faascell_vm_evictions_total"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum());
      result.put("p50", stats.p50Ms());
      result.put("p99", stats.p99Ms());
      return result;
    } finally {
      senders.shutdownNow();
      for (Path tree : List.of(dir, shm)) {
        FileTrees.delete(tree);
      }
    }
  }

  private static Outcome invoke(FaascellClient http, ScheduledInvocation arrival) {
    long start = System.nanoTime();
    try {
      ApiResponse response = http.send("POST", "/v1/functions/" + arrival.function() + "/invoke",
          arrival.work().toJson().getBytes(StandardCharsets.UTF_8));
      JsonNode reply = JSON.readTree(response.body());
      return new Outcome(response.status(), reply.path("startKind").asText(), System.nanoTime() - start);
    } catch (IOException e) {
      return new Outcome(-1, "", System.nanoTime() - start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, "", 0);
    }
  }

  private static String send(FaascellClient http, String method, String path, String body) throws Exception {
    ApiResponse response = http.send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    if (!response.successful()) {
      throw new IllegalStateException(method + " " + http.base() + path + ": " + response.body());
    }
    return response.body();
  }
}
