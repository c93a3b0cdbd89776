package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.faascell.client.KeepAliveConnection;
import dev.faascell.config.FaascellConfig;
import dev.faascell.guest.image.GuestImage;
import dev.faascell.guest.image.ImageBuilder;
import dev.faascell.guest.protocol.AgentConnection;
import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.server.Node;
import dev.faascell.util.FileTrees;
import dev.faascell.vmm.MemoryBacking;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmLaunch;
import dev.faascell.vmm.qemu.QemuMicrovm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cold and warm invocation latency of a no-op Python function through FaaSCell's HTTP API, beside
 * the raw channel round trip to a VM of the same function (QEMU + agent, no FaaSCell in between),
 * measured in the same run and interleaved in blocks so that machine noise hits both alike.
 * Control-plane overhead = warm HTTP p50 - raw channel p50.
 */
@Command(name = "cold-warm", description = "Cold, warm and raw-channel latency of a no-op Python function.")
final class ColdWarmBenchmark implements Callable<Integer> {
  private static final String NOOP = "def handle(event):\n    return event\n";
  private static final byte[] PAYLOAD = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--cold", defaultValue = "5", description = "cold starts to measure (default ${DEFAULT-VALUE})")
  int colds;

  @Option(names = "--warm", defaultValue = "2000", description = "warm invocations (default ${DEFAULT-VALUE})")
  int warms;

  @Option(names = "--block", defaultValue = "100", description = "interleaving block size (default ${DEFAULT-VALUE})")
  int block;

  @Option(names = "--warmup", defaultValue = "2000", description = "untimed round trips of each path first, for the JIT")
  int warmup;

  @Option(names = "--image-cache", defaultValue = "/var/tmp/faascell-test/images")
  Path imageCache;

  @Option(names = "--out", description = "write the results as JSON here")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-bench-");
    FaascellConfig config = FaascellConfig.from(ConfigFactory.parseMap(Map.of(
        "faascell.state-dir", dir.resolve("state").toString(),
        "faascell.run-dir", dir.resolve("run").toString(),
        "faascell.image.cache-dir", imageCache.toString(),
        "faascell.api.port", 0,
        "faascell.samples.deploy", false)));
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", Machine.describe());
    try (Node node = Node.start(config, (step, steps, what) -> System.err.printf("[image %d/%d] %s%n", step, steps, what));
         KeepAliveConnection http = new KeepAliveConnection("127.0.0.1", node.port())) {
      deploy(http, 0);
      System.err.println("cold starts: " + colds);
      List<Long> coldClient = new ArrayList<>();
      List<Map<String, Double>> coldBreakdown = new ArrayList<>();
      for (int i = 1; i <= colds; i++) {
        deploy(http, i);   // a new version: no warm VM can serve it
        long start = System.nanoTime();
        JsonNode reply = invoke(http);
        coldClient.add(System.nanoTime() - start);
        require(reply, "cold");
        coldBreakdown.add(breakdown(reply));
      }
      results.put("cold_http", Stats.of(coldClient));
      results.put("cold_breakdown_median", medianBreakdown(coldBreakdown));

      GuestImage image = new ImageBuilder(Node.imageConfig(config), (a, b, c) -> { }).ensure();
      QemuMicrovm raw = new QemuMicrovm(Node.qemuConfig(config));
      VmInstance vm = raw.launch(new VmLaunch("raw-1", image, 128, 1, new MemoryBacking.Anonymous()));
      try (AgentConnection channel = AgentConnection.connect(vm.channelSocket(), Duration.ofSeconds(60), vm::isAlive, 8 << 20)) {
        channel.send(new HostRequest.Hello());
        channel.receive();
        channel.send(new HostRequest.Init("python", "main.handle", "file", "main.py", NOOP.getBytes(StandardCharsets.UTF_8), Map.of(), "bench", 128, 30_000));
        if (!(channel.receive() instanceof GuestReply.Ok)) {
          throw new IllegalStateException("raw VM failed to load the function");
        }
        List<Long> warmClient = new ArrayList<>();
        List<Long> inNodeOverhead = new ArrayList<>();
        List<Long> inNodeRun = new ArrayList<>();
        List<Long> inNodeTotal = new ArrayList<>();
        List<Long> rawChannel = new ArrayList<>();
        warmUp(http, channel, warmup);
        System.err.println("warm and raw round trips: " + warms + " each, interleaved in blocks of " + block);
        for (int done = 0; done < warms; done += block) {
          for (int i = 0; i < block; i++) {
            long start = System.nanoTime();
            JsonNode reply = invoke(http);
            warmClient.add(System.nanoTime() - start);
            require(reply, "warm");
            inNodeOverhead.add((long) ((reply.path("totalMs").asDouble() - reply.path("runMs").asDouble()) * 1e6));
            inNodeRun.add((long) (reply.path("runMs").asDouble() * 1e6));
            inNodeTotal.add((long) (reply.path("totalMs").asDouble() * 1e6));
          }
          for (int i = 0; i < block; i++) {
            long start = System.nanoTime();
            channel.send(new HostRequest.Run(PAYLOAD, "run"));
            channel.receive();
            rawChannel.add(System.nanoTime() - start);
          }
        }
        Stats warm = Stats.of(warmClient);
        Stats channelStats = Stats.of(rawChannel);
        results.put("warm_http", warm);
        results.put("raw_channel", channelStats);
        results.put("in_node_overhead", Stats.of(inNodeOverhead));
        results.put("in_node_run", Stats.of(inNodeRun));
        results.put("in_node_total", Stats.of(inNodeTotal));
        results.put("control_plane_overhead_p50_ms", warm.p50Ms() - channelStats.p50Ms());
        Stats cold = (Stats) results.get("cold_http");
        results.put("cold_over_warm_p50", cold.p50Ms() / warm.p50Ms());
      } finally {
        vm.kill();
      }
    }
    FileTrees.delete(dir);
    report(results);
    if (out != null) {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), results);
    }
    return 0;
  }

  private void deploy(KeepAliveConnection http, int version) throws Exception {
    String body = "{\"runtime\":\"python\",\"handler\":\"main.handle\",\"env\":{\"BENCH_VERSION\":\"" + version + "\"},"
        + "\"code\":{\"file\":\"main.py\",\"text\":" + JSON.writeValueAsString(NOOP) + "}}";
    var response = http.send("PUT", "/v1/functions/noop", body.getBytes(StandardCharsets.UTF_8));
    if (response.status() / 100 != 2) {
      throw new IllegalStateException("deploy failed: " + response.text());
    }
  }

  private static JsonNode invoke(KeepAliveConnection http) throws Exception {
    var response = http.send("POST", "/v1/functions/noop/invoke", PAYLOAD);
    if (response.status() != 200) {
      throw new IllegalStateException("invoke failed: " + response.text());
    }
    return JSON.readTree(response.body());
  }

  private static void require(JsonNode reply, String startKind) {
    if (!reply.path("startKind").asText().equals(startKind) || reply.path("result").path("n").asInt() != 1) {
      throw new IllegalStateException("expected a correct " + startKind + " reply, got " + reply);
    }
  }

  private static void warmUp(KeepAliveConnection http, AgentConnection channel, int rounds) throws Exception {
    for (int i = 0; i < rounds; i++) {
      invoke(http);
      channel.send(new HostRequest.Run(PAYLOAD, "run"));
      channel.receive();
    }
  }

  private static Map<String, Double> breakdown(JsonNode reply) {
    Map<String, Double> stages = new LinkedHashMap<>();
    for (String stage : List.of("queueMs", "bootMs", "initMs", "runMs", "execMs", "totalMs")) {
      stages.put(stage, reply.path(stage).asDouble());
    }
    return stages;
  }

  private static Map<String, Double> medianBreakdown(List<Map<String, Double>> runs) {
    Map<String, Double> median = new LinkedHashMap<>();
    for (String stage : runs.get(0).keySet()) {
      double[] values = runs.stream().mapToDouble(r -> r.get(stage)).sorted().toArray();
      median.put(stage, values[values.length / 2]);
    }
    return median;
  }

  private static void report(Map<String, Object> results) {
    System.out.println("| path | n | p50 ms | p90 ms | p99 ms | max ms |");
    System.out.println("|---|---|---|---|---|---|");
    System.out.println(((Stats) results.get("cold_http")).row("cold start → result, HTTP API"));
    System.out.println(((Stats) results.get("warm_http")).row("warm invoke, HTTP API (client-measured)"));
    System.out.println(((Stats) results.get("raw_channel")).row("raw channel round trip (same VM setup, no FaaSCell)"));
    System.out.println(((Stats) results.get("in_node_total")).row("warm invoke, inside the node (totalMs)"));
    System.out.println(((Stats) results.get("in_node_run")).row("warm RUN round trip seen by the Worker (runMs)"));
    System.out.println(((Stats) results.get("in_node_overhead")).row("in-node overhead (totalMs - runMs, warm)"));
    System.out.printf(Locale.ROOT, "%ncontrol-plane overhead at p50 (warm HTTP - raw channel): %.3f ms%n",
        (double) results.get("control_plane_overhead_p50_ms"));
    System.out.printf(Locale.ROOT, "cold / warm at p50: %.0fx%n", (double) results.get("cold_over_warm_p50"));
    System.out.println("cold start breakdown (median): " + results.get("cold_breakdown_median"));
    System.out.println("machine: " + results.get("machine"));
  }

}
