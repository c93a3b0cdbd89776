package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.faascell.client.KeepAliveConnection;
import dev.faascell.config.FaascellConfig;
import dev.faascell.guest.image.GuestImage;
import dev.faascell.server.Node;
import dev.faascell.util.FileTrees;
import dev.faascell.vmm.fake.FakeVmm;
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
 * FaaSCell's own cost per warm invocation, without a guest: the whole node (HTTP Source, Dispatcher,
 * VmPool, Worker, Sink, the channel protocol on a real Unix socket) in front of the in-memory guest
 * double, which answers at once. What remains is the control plane. Each round invokes the same
 * function through FaaSCell's API and through the Lambda API, so the two front doors are compared in
 * the same run.
 */
@Command(name = "control-plane", description = "Warm-path overhead of the node itself (in-memory guest).")
final class ControlPlaneBenchmark implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PAYLOAD = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);

  @Option(names = "--invocations", defaultValue = "20000")
  int invocations;

  @Option(names = "--warmup", defaultValue = "10000")
  int warmup;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-cp-");
    FaascellConfig config = FaascellConfig.from(ConfigFactory.parseMap(Map.of(
        "faascell.state-dir", dir.resolve("state").toString(), "faascell.run-dir", dir.resolve("run").toString(),
        "faascell.api.port", 0, "faascell.samples.deploy", false)));
    Path none = dir.resolve("none");
    List<Long> client = new ArrayList<>();
    List<Long> inNode = new ArrayList<>();
    List<Long> channel = new ArrayList<>();
    List<Long> lambda = new ArrayList<>();
    try (Node node = Node.start(config, new FakeVmm(dir.resolve("run"), 1), new GuestImage("none", dir, none, none, none, "none"));
         KeepAliveConnection http = new KeepAliveConnection("127.0.0.1", node.port())) {
      var deployed = http.send("PUT", "/v1/functions/echo", ("{\"runtime\":\"exec\",\"handler\":\"echo\","
          + "\"code\":{\"file\":\"echo\",\"text\":\"x\"}}").getBytes(StandardCharsets.UTF_8));
      if (deployed.status() / 100 != 2) {
        throw new IllegalStateException(deployed.text());
      }
      for (int i = 0; i < warmup + invocations; i++) {
        long start = System.nanoTime();
        var response = http.send("POST", "/v1/functions/echo/invoke", PAYLOAD);
        long elapsed = System.nanoTime() - start;
        JsonNode reply = JSON.readTree(response.body());
        if (i >= warmup) {
          client.add(elapsed);
          inNode.add((long) ((reply.path("totalMs").asDouble() - reply.path("runMs").asDouble()) * 1e6));
          channel.add((long) (reply.path("runMs").asDouble() * 1e6));
        }
        start = System.nanoTime();
        var lambdaResponse = http.send("POST", "/2015-03-31/functions/echo/invocations", PAYLOAD);
        elapsed = System.nanoTime() - start;
        if (lambdaResponse.status() != 200) {
          throw new IllegalStateException("Lambda Invoke answered " + lambdaResponse.status() + ": " + lambdaResponse.text());
        }
        if (i >= warmup) {
          lambda.add(elapsed);
        }
      }
    }
    FileTrees.delete(dir);
    System.out.println("| path | n | p50 ms | p90 ms | p99 ms | max ms |");
    System.out.println("|---|---|---|---|---|---|");
    System.out.println(Stats.of(client).row("warm invoke over HTTP, in-memory guest (client-measured)"));
    System.out.println(Stats.of(inNode).row("in-node overhead (totalMs - runMs)"));
    System.out.println(Stats.of(channel).row("channel round trip to the in-memory guest (runMs)"));
    System.out.println(Stats.of(lambda).row("warm invoke over the Lambda API, in-memory guest (client-measured)"));
    System.out.printf(Locale.ROOT, "%ncontrol plane at p50 (client-measured minus channel): %.3f ms%n"
            + "Lambda API minus FaaSCell's API at p50: %.3f ms%nmachine: %s%n",
        Stats.of(client).p50Ms() - Stats.of(channel).p50Ms(), Stats.of(lambda).p50Ms() - Stats.of(client).p50Ms(),
        Machine.describe());
    return 0;
  }
}
