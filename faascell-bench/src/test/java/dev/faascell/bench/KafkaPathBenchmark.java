package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.faascell.client.KeepAliveConnection;
import dev.faascell.config.FaascellConfig;
import dev.faascell.guest.image.GuestImage;
import dev.faascell.server.Node;
import dev.faascell.testing.TestKafka;
import dev.faascell.util.FileTrees;
import dev.faascell.vmm.fake.FakeVmm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What the Kafka path costs (docs/BENCHMARKS.md, section "Kafka path"), on Apache Kafka's in-process
 * broker, with the in-memory guest double so that only the control plane is measured:
 * <ol>
 *   <li>latency: warm invocations straight to a node's HTTP API and through a cluster node's gateway
 *       (HTTP → invocations topic → Kafka Source → Dispatcher … Sink → answered and reply topics → HTTP),
 *       interleaved in blocks in one run;</li>
 *   <li>throughput: closed-loop clients on a node without Kafka, a cluster of one node, then of two.</li>
 * </ol>
 * It is a test-scope main because the broker it needs is for tests only; run it with
 * {@code mvn -B -q verify -pl faascell-bench -am -DskipITs -Dtest=KafkaPathBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class KafkaPathBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PAYLOAD = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
  private static final int WARMUP = Integer.getInteger("bench.warmup", 3000);
  private static final int INVOCATIONS = Integer.getInteger("bench.invocations", 5000);
  private static final int BLOCK = 100;
  private static final int CLIENTS = Integer.getInteger("bench.clients", 8);
  private static final long THROUGHPUT_MILLIS = Long.getLong("bench.throughput-ms", 10_000);

  @Test
  void kafkaPath() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-kbench-");
    try (TestKafka kafka = TestKafka.start();
         Node direct = node(dir.resolve("direct"), Map.of());
         Node member = node(dir.resolve("a"), cluster(kafka, "a"))) {
      deployEcho(direct, "echo");
      deployEcho(member, "echo");
      List<Long> straight = new ArrayList<>();
      List<Long> throughKafka = new ArrayList<>();
      try (KeepAliveConnection toDirect = new KeepAliveConnection("127.0.0.1", direct.port());
           KeepAliveConnection toMember = new KeepAliveConnection("127.0.0.1", member.port())) {
        for (int done = 0; done < WARMUP + INVOCATIONS; done += BLOCK) {
          boolean measured = done >= WARMUP;
          timeBlock(toDirect, "echo", measured ? straight : null);
          timeBlock(toMember, "echo", measured ? throughKafka : null);
        }
      }
      System.out.println("| path (in-memory guest, warm) | n | p50 ms | p90 ms | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|---|");
      System.out.println(Stats.of(straight).row("HTTP API, node without Kafka"));
      System.out.println(Stats.of(throughKafka).row("HTTP gateway → Kafka → node → Kafka → gateway"));
      System.out.printf(Locale.ROOT, "%nlatency the Kafka path adds at p50: %.3f ms%n%n",
          Stats.of(throughKafka).p50Ms() - Stats.of(straight).p50Ms());

      List<String> functions = new ArrayList<>();
      for (int f = 0; f < 12; f++) {
        functions.add("echo-" + f);
        deployEcho(direct, "echo-" + f);
        deployEcho(member, "echo-" + f);   // the functions topic brings them to b as well
      }
      double alone = throughput(List.of(direct), functions);
      double one = throughput(List.of(member), functions);
      try (Node second = node(dir.resolve("b"), cluster(kafka, "b"))) {
        awaitFunctions(second, functions);
        Thread.sleep(5000);   // the group gives b its partitions
        double two = throughput(List.of(member, second), functions);
        System.out.printf(Locale.ROOT, "| nodes | clients | invocations/s |%n|---|---|---|%n"
            + "| one node without Kafka (HTTP API) | %d | %.0f |%n| cluster of one node | %d | %.0f |%n"
            + "| cluster of two nodes (same host) | %d | %.0f |%n%nmachine: %s%n", CLIENTS, alone, CLIENTS, one, CLIENTS,
            two, Machine.describe());
      }
    } finally {
      FileTrees.delete(dir);
    }
  }

  private static Map<String, Object> cluster(TestKafka kafka, String nodeId) {
    return Map.of("faascell.kafka.bootstrap", kafka.bootstrap(), "faascell.kafka.node-id", nodeId);
  }

  private static Node node(Path dir, Map<String, Object> extra) throws Exception {
    Files.createDirectories(dir);
    Map<String, Object> settings = new HashMap<>(Map.of("faascell.state-dir", dir.resolve("state").toString(),
        "faascell.run-dir", dir.resolve("run").toString(), "faascell.shm-dir", dir.resolve("shm").toString(),
        "faascell.api.port", 0, "faascell.samples.deploy", false, "faascell.node.max-vms", 32));
    settings.putAll(extra);
    FaascellConfig config = FaascellConfig.from(ConfigFactory.parseMap(settings));
    Path none = dir.resolve("none");
    return Node.start(config, new FakeVmm(dir.resolve("run"), 1), new GuestImage("none", dir, none, none, none, "none"));
  }

  private static void deployEcho(Node node, String name) throws Exception {
    try (KeepAliveConnection http = new KeepAliveConnection("127.0.0.1", node.port())) {
      var deployed = http.send("PUT", "/v1/functions/" + name, ("{\"runtime\":\"exec\",\"handler\":\"echo\","
          + "\"code\":{\"file\":\"echo\",\"text\":\"x\"}}").getBytes(StandardCharsets.UTF_8));
      if (deployed.status() / 100 != 2) {
        throw new IllegalStateException(deployed.text());
      }
    }
  }

  private static void awaitFunctions(Node node, List<String> functions) throws InterruptedException {
    while (!functions.stream().allMatch(f -> node.registry().get(dev.faascell.model.FunctionName.of(f)).isPresent())) {
      Thread.sleep(100);
    }
  }

  /** {@value #BLOCK} invocations one after the other; their client-measured times go to {@code into} if given. */
  private static void timeBlock(KeepAliveConnection http, String function, List<Long> into) throws Exception {
    for (int i = 0; i < BLOCK; i++) {
      long start = System.nanoTime();
      var response = http.send("POST", "/v1/functions/" + function + "/invoke", PAYLOAD);
      long elapsed = System.nanoTime() - start;
      if (response.status() != 200) {
        throw new IllegalStateException(response.text());
      }
      if (into != null) {
        into.add(elapsed);
      }
    }
  }

  /** Invocations per second of {@value #CLIENTS} closed-loop clients spread over the nodes' gateways and the functions. */
  private static double throughput(List<Node> nodes, List<String> functions) throws Exception {
    AtomicBoolean measuring = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean(false);
    AtomicLong completed = new AtomicLong();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      Node node = nodes.get(c % nodes.size());
      int client = c;
      clients.add(CompletableFuture.runAsync(() -> {
        try (KeepAliveConnection http = new KeepAliveConnection("127.0.0.1", node.port())) {
          for (int i = 0; !stop.get(); i++) {
            String function = functions.get((client + i * CLIENTS) % functions.size());
            var response = http.send("POST", "/v1/functions/" + function + "/invoke", PAYLOAD);
            JsonNode reply = JSON.readTree(response.body());
            if (response.status() != 200) {
              throw new IllegalStateException(reply.toString());
            }
            if (measuring.get()) {
              completed.incrementAndGet();
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, java.util.concurrent.Executors.newSingleThreadExecutor()));
    }
    Thread.sleep(3000);   // every function's VM started, the JIT warm
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(THROUGHPUT_MILLIS);
    long count = completed.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();
    return count / seconds;
  }
}
