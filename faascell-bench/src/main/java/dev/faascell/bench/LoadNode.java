package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.faascell.client.KeepAliveConnection;
import dev.faascell.config.FaascellConfig;
import dev.faascell.config.HostMemory;
import dev.faascell.server.Node;
import dev.faascell.util.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node on real VMs for the load benchmarks (burst, memory safety, density, start storm): the node's
 * default capacity unless a benchmark overrides it, its own temporary directories, and the calls a
 * benchmark makes — deploy the sleeping Python function, wait for its snapshot or for its VMs to go,
 * fire many invocations at once (a connection each), read its traces, status and metrics.
 */
final class LoadNode implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Sleeps {@code s} seconds, or until the epoch second {@code until}: VMs that all stay busy together. */
  static final String NAPPER = "import time\ndef handle(event):\n    until = event.get('until')\n"
      + "    time.sleep(max(0.0, until - time.time()) if until else event.get('s', 0))\n    return 'rested'\n";

  final Node node;
  final FaascellConfig config;
  private final Map<String, Object> settings;
  private final Path dir;
  private final Path shm;

  private LoadNode(Node node, FaascellConfig config, Map<String, Object> settings, Path dir, Path shm) {
    this.node = node;
    this.config = config;
    this.settings = Map.copyOf(settings);
    this.dir = dir;
    this.shm = shm;
  }

  static LoadNode start(Path imageCache, Map<String, Object> overrides) throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "fc-load-");
    Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "fc-load-");
    Map<String, Object> values = new HashMap<>(Map.of(
        "faascell.state-dir", dir.resolve("state").toString(), "faascell.run-dir", dir.resolve("run").toString(),
        "faascell.shm-dir", shm.toString(), "faascell.image.cache-dir", imageCache.toString(),
        "faascell.cgroups.parent", dir.getFileName().toString(), "faascell.api.port", 0,
        "faascell.samples.deploy", false));
    values.putAll(overrides);
    FaascellConfig config = FaascellConfig.from(ConfigFactory.parseMap(values));
    Node node = Node.start(config, (step, steps, what) -> System.err.printf("[image %d/%d] %s%n", step, steps, what));
    return new LoadNode(node, config, values, dir, shm);
  }

  /** The node's configuration with {@code changes}, e.g. for a raw baseline set up like the node. */
  FaascellConfig configWith(Map<String, Object> changes) {
    Map<String, Object> values = new HashMap<>(settings);
    values.putAll(changes);
    return FaascellConfig.from(ConfigFactory.parseMap(values));
  }

  /** Where the node's VMs have their directories (named in each QEMU's command line). */
  Path runDir() {
    return dir.resolve("run");
  }

  /** A directory for a raw baseline's own VMs, removed with the node's. */
  Path scratchDir(String name) {
    return dir.resolve(name);
  }

  KeepAliveConnection.Response send(String method, String path, String body) throws IOException {
    try (KeepAliveConnection http = new KeepAliveConnection("127.0.0.1", node.port())) {
      return http.send(method, path, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  JsonNode get(String path) throws IOException {
    return JSON.readTree(send("GET", path, "").body());
  }

  /** Deploys the sleeping function as {@code name}; {@code version} makes a new version (no VM or snapshot). */
  void deployNapper(String name, int version) throws IOException {
    deploy(name, version, "");
  }

  /** Deploys the napper with {@code extraFields} (e.g. its network) added to its spec. */
  void deploy(String name, int version, String extraFields) throws IOException {
    String body = "{\"runtime\":\"python\",\"handler\":\"main.handle\",\"timeoutMs\":900000,"
        + "\"env\":{\"VERSION\":\"" + version + "\"},\"code\":{\"file\":\"main.py\",\"text\":"
        + JSON.writeValueAsString(NAPPER) + "}" + extraFields + "}";
    KeepAliveConnection.Response response = send("PUT", "/v1/functions/" + name, body);
    if (response.status() / 100 != 2) {
      throw new IllegalStateException("deploy failed: " + response.text());
    }
  }

  /** Deploys the napper, boots it once (its snapshot is taken) and waits until no VM of it is left. */
  void napperWithSnapshot(String name) throws Exception {
    deployNapper(name, 1);
    invoke(name, "{\"s\":0}");
    await(() -> get("/v1/snapshots").path("snapshots").size() >= 1, "the snapshot of " + name);
    awaitNoVms();
  }

  JsonNode invoke(String function, String payload) throws IOException {
    KeepAliveConnection.Response response = send("POST", "/v1/functions/" + function + "/invoke", payload);
    if (response.status() != 200) {
      throw new IllegalStateException("invocation failed: " + response.text());
    }
    return JSON.readTree(response.body());
  }

  void awaitNoVms() throws Exception {
    await(() -> get("/v1/status").path("vms").isEmpty(), "no VM left");
  }

  interface Check {
    boolean holds() throws Exception;
  }

  static void await(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  /** One invocation's outcome as its caller saw it. */
  record Call(int status, JsonNode reply, long sentNanos, long doneNanos) {}

  /** {@code count} invocations at once, each on a connection of its own. */
  List<Call> burst(String function, String payload, int count) throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(count);
    try {
      List<CompletableFuture<Call>> calls = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        calls.add(CompletableFuture.supplyAsync(() -> {
          try (KeepAliveConnection http = new KeepAliveConnection("127.0.0.1", node.port())) {
            long sent = System.nanoTime();
            KeepAliveConnection.Response response = http.send("POST", "/v1/functions/" + function + "/invoke",
                payload.getBytes(StandardCharsets.UTF_8));
            return new Call(response.status(), JSON.readTree(response.body()), sent, System.nanoTime());
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }, callers));
      }
      List<Call> done = new ArrayList<>();
      for (CompletableFuture<Call> call : calls) {
        done.add(call.get());
      }
      return done;
    } finally {
      callers.shutdownNow();
    }
  }

  String metrics() throws IOException {
    return send("GET", "/metrics", "").text();
  }

  /** The sum of a counter's samples whose labels contain {@code labels} (0 if it never counted). */
  double counter(String name, String labels) throws IOException {
    double sum = 0;
    for (String line : metrics().split("\n")) {
      if (line.startsWith(name + "{") && line.contains(labels)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  @Override
  public void close() throws IOException {
    node.close();
    FileTrees.delete(dir);
    FileTrees.delete(shm);
  }

  /** The lowest MemAvailable the host showed while it ran, sampled every 100 ms on a thread of its own. */
  static final class HostMemoryLow implements AutoCloseable {
    private final AtomicLong lowestMb = new AtomicLong(Long.MAX_VALUE);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread sampler;

    HostMemoryLow() {
      sampler = new Thread(() -> {
        while (running.get()) {
          lowestMb.accumulateAndGet(HostMemory.availableMb(), Math::min);
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "host-memory-low");
      sampler.setDaemon(true);
      sampler.start();
    }

    long lowestMb() {
      return lowestMb.get();
    }

    @Override
    public void close() {
      running.set(false);
      sampler.interrupt();
    }
  }
}
