package dev.faascell.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.faascell.client.KeepAliveConnection;
import dev.faascell.config.FaascellConfig;
import dev.faascell.server.Node;
import dev.faascell.util.FileTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What tracing and the PerfManager cost a warm invocation: two nodes in one process, one with
 * faascell.trace and faascell.perf on, one with both off, the same function on each, invoked in
 * alternating blocks so that both see the same machine.
 */
@Command(name = "observability", description = "Warm invoke latency with tracing + PerfManager on vs off, same run.")
final class ObservabilityBenchmark implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PAYLOAD = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);

  @Option(names = "--warm", defaultValue = "3000")
  int warms;

  @Option(names = "--warmup", defaultValue = "1000")
  int warmup;

  @Option(names = "--block", defaultValue = "100")
  int block;

  @Option(names = "--image-cache", defaultValue = "/var/tmp/faascell-test/images")
  Path imageCache;

  @Override
  public Integer call() throws Exception {
    Path on = Files.createTempDirectory(Path.of("/tmp"), "fc-obs-on-");
    Path off = Files.createTempDirectory(Path.of("/tmp"), "fc-obs-off-");
    try (Node traced = Node.start(config(on, true), (a, b, c) -> { });
         Node plain = Node.start(config(off, false), (a, b, c) -> { });
         KeepAliveConnection a = new KeepAliveConnection("127.0.0.1", traced.port());
         KeepAliveConnection b = new KeepAliveConnection("127.0.0.1", plain.port())) {
      for (KeepAliveConnection http : List.of(a, b)) {
        String body = "{\"runtime\":\"python\",\"code\":{\"file\":\"main.py\",\"text\":"
            + JSON.writeValueAsString("def handle(event):\n    return event\n") + "}}";
        http.send("PUT", "/v1/functions/noop", body.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < warmup; i++) {
          http.send("POST", "/v1/functions/noop/invoke", PAYLOAD);
        }
      }
      List<Long> withTracing = new ArrayList<>();
      List<Long> without = new ArrayList<>();
      for (int done = 0; done < warms; done += block) {
        measure(a, block, withTracing);
        measure(b, block, without);
      }
      Stats tracedStats = Stats.of(withTracing);
      Stats plainStats = Stats.of(without);
      System.out.println("| path | n | p50 ms | p90 ms | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|---|");
      System.out.println(tracedStats.row("warm invoke, tracing + PerfManager on"));
      System.out.println(plainStats.row("warm invoke, tracing + PerfManager off"));
      System.out.printf(Locale.ROOT, "%ncost at p50: %.3f ms (%.1f %%)%nmachine: %s%n", tracedStats.p50Ms() - plainStats.p50Ms(),
          100 * (tracedStats.p50Ms() - plainStats.p50Ms()) / plainStats.p50Ms(), Machine.describe());
      String metrics = new String(a.send("GET", "/metrics", new byte[0]).body(), StandardCharsets.UTF_8);
      metrics.lines().filter(l -> l.startsWith("faascell_perf_sampling_seconds_")).forEach(l -> System.out.println("  " + l));
    } finally {
      for (Path dir : List.of(on, off, Path.of("/dev/shm").resolve(on.getFileName()),
          Path.of("/dev/shm").resolve(off.getFileName()))) {
        FileTrees.delete(dir);
      }
    }
    return 0;
  }

  private static void measure(KeepAliveConnection http, int count, List<Long> into) throws Exception {
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      var response = http.send("POST", "/v1/functions/noop/invoke", PAYLOAD);
      into.add(System.nanoTime() - start);
      if (response.status() != 200) {
        throw new IllegalStateException(response.text());
      }
    }
  }

  private FaascellConfig config(Path dir, boolean observed) {
    return FaascellConfig.from(ConfigFactory.parseMap(Map.of(
        "faascell.state-dir", dir.resolve("state").toString(), "faascell.run-dir", dir.resolve("run").toString(),
        "faascell.shm-dir", "/dev/shm/" + dir.getFileName(), "faascell.image.cache-dir", imageCache.toString(),
        "faascell.api.port", 0, "faascell.samples.deploy", false, "faascell.cgroups.parent", dir.getFileName().toString(),
        "faascell.trace.enabled", observed, "faascell.perf.enabled", observed)));
  }
}
