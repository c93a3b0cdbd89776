package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.faascell.config.FaascellConfig;
import dev.faascell.server.Node;
import dev.faascell.util.FileTrees;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
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
  private static final String CODE = "import time\ndef handle(event):\n    time.sleep(event['ms'] / 1000)\n"
      + "    return {'slept': event['ms']}\n";

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

  /** One scheduled invocation. */
  private record Arrival(long atNanos, int function) {}

  /** What one invocation did. */
  private record Outcome(int status, String startKind, long latencyNanos) {}

  @Override
  public Integer call() throws Exception {
    List<Arrival> schedule = schedule();
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
  private List<Arrival> schedule() {
    SplittableRandom random = new SplittableRandom(seed);
    double harmonic = 0;
    for (int i = 0; i < functions; i++) {
      harmonic += 1.0 / (i + 1);
    }
    List<Arrival> arrivals = new ArrayList<>();
    for (int f = 0; f < functions; f++) {
      double rate = totalRate / harmonic / (f + 1);
      double t = 0;
      while (true) {
        t += -Math.log(1 - random.nextDouble()) / rate;
        if (t >= seconds) {
          break;
        }
        arrivals.add(new Arrival((long) (t * 1e9), f));
      }
    }
    arrivals.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
    return arrivals;
  }

  private Map<String, Object> run(String policy, List<Arrival> schedule) throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-pbench-");
    Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "fc-pbench-");
    FaascellConfig config = FaascellConfig.from(ConfigFactory.parseMap(Map.of(
        "faascell.state-dir", dir.resolve("state").toString(), "faascell.run-dir", dir.resolve("run").toString(),
        "faascell.shm-dir", shm.toString(), "faascell.image.cache-dir", imageCache.toString(), "faascell.api.port", 0,
        "faascell.samples.deploy", false, "faascell.node.memory-mb", memoryMb, "faascell.node.max-vms", 16,
        "faascell.keep-alive.policy", policy, "faascell.keep-alive.ttl", ttlSeconds + "s")));
    HttpClient http = HttpClient.newBuilder().build();
    ExecutorService senders = Executors.newCachedThreadPool();
    try (Node node = Node.start(config, (a, b, c) -> { })) {
      String url = node.url();
      for (int f = 0; f < functions; f++) {
        String body = "{\"runtime\":\"python\",\"code\":{\"file\":\"main.py\",\"text\":" + JSON.writeValueAsString(CODE) + "}}";
        send(http, "PUT", url + "/v1/functions/fn-" + f, body);
      }
      System.err.println("policy " + policy + ": replaying");
      long start = System.nanoTime();
      List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
      for (Arrival arrival : schedule) {
        long wait = start + arrival.atNanos() - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        String target = url + "/v1/functions/fn-" + arrival.function() + "/invoke";
        outcomes.add(CompletableFuture.supplyAsync(() -> invoke(http, target), senders));
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
      String metrics = send(http, "GET", url + "/metrics", null);
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

  private Outcome invoke(HttpClient http, String target) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(target))
          .POST(HttpRequest.BodyPublishers.ofString("{\"ms\":" + workMs + "}")).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode reply = JSON.readTree(response.body());
      return new Outcome(response.statusCode(), reply.path("startKind").asText(), System.nanoTime() - start);
    } catch (IOException e) {
      return new Outcome(-1, "", System.nanoTime() - start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, "", 0);
    }
  }

  private static String send(HttpClient http, String method, String url, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + url + ": " + response.body());
    }
    return response.body();
  }
}
