package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.client.KeepAliveConnection;
import dev.faascell.config.FaascellConfig;
import dev.faascell.guest.image.GuestImage;
import dev.faascell.guest.image.ImageBuilder;
import dev.faascell.server.Node;
import dev.faascell.vmm.SnapshotFiles;
import dev.faascell.vmm.SnapshotFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link LoadNode} serving the sample Python function (samples/hello) for a benchmark, with what its
 * raw baselines need to do the same work without FaaSCell: the node's guest image, its snapshot, and
 * its QEMU driver settings (a run directory and cgroup parent of their own).
 */
final class SampleFunctionNode implements AutoCloseable {
  static final String EVENT = "{\"name\":\"bench\"}";
  static final byte[] PAYLOAD = EVENT.getBytes(StandardCharsets.UTF_8);
  static final String EXPECTED = "Hello, bench!";
  private static final ObjectMapper JSON = LoadNode.JSON;

  final Node node;
  final KeepAliveConnection http;
  final String code;
  private final LoadNode load;

  private SampleFunctionNode(LoadNode load, String code) throws Exception {
    this.load = load;
    this.node = load.node;
    this.http = new KeepAliveConnection("127.0.0.1", node.port());
    this.code = code;
  }

  /** Starts the node; idle VMs live for {@code ttl}; {@code overrides} set any other configuration key. */
  static SampleFunctionNode start(Path imageCache, Duration ttl, int maxVms, Map<String, String> overrides)
      throws Exception {
    String code = new String(Node.class.getResourceAsStream("/samples/hello/main.py").readAllBytes(),
        StandardCharsets.UTF_8);
    Map<String, Object> settings = new HashMap<>(Map.of("faascell.node.max-vms", maxVms,
        "faascell.keep-alive.ttl", ttl.toMillis() + "ms", "faascell.keep-alive.check-interval", "100ms"));
    settings.putAll(overrides);
    return new SampleFunctionNode(LoadNode.start(imageCache, settings), code);
  }

  /** The node's run directory: one directory per VM, named in each QEMU's command line. */
  Path runDir() {
    return load.runDir();
  }

  GuestImage image() throws Exception {
    return new ImageBuilder(Node.imageConfig(load.config), (a, b, c) -> { }).ensure();
  }

  /** Deploys version {@code version} of the function: a new version is served by neither a warm VM nor a snapshot. */
  void deploy(int version) throws Exception {
    String body = "{\"runtime\":\"python\",\"handler\":\"main.handle\",\"env\":{\"BENCH_VERSION\":\"" + version + "\"},"
        + "\"code\":{\"file\":\"main.py\",\"text\":" + JSON.writeValueAsString(code) + "}}";
    var response = http.send("PUT", "/v1/functions/hello", body.getBytes(StandardCharsets.UTF_8));
    if (response.status() / 100 != 2) {
      throw new IllegalStateException("deploy failed: " + response.text());
    }
  }

  /** One invocation on {@code connection}; fails unless it is correct and of {@code startKind} (null: any). */
  static JsonNode invoke(KeepAliveConnection connection, String startKind) throws Exception {
    var response = connection.send("POST", "/v1/functions/hello/invoke", PAYLOAD);
    JsonNode reply = JSON.readTree(response.body());
    if (response.status() != 200 || !reply.path("result").path("greeting").asText().equals(EXPECTED)
        || (startKind != null && !reply.path("startKind").asText().equals(startKind))) {
      throw new IllegalStateException("expected a correct " + startKind + " reply, got " + response.text());
    }
    return reply;
  }

  static long timed(KeepAliveConnection connection, String startKind) throws Exception {
    long start = System.nanoTime();
    invoke(connection, startKind);
    return System.nanoTime() - start;
  }

  void awaitSnapshot() throws Exception {
    LoadNode.await(() -> load.get("/v1/snapshots").path("snapshots").size() == 1, "a snapshot");
  }

  void awaitNoVms() throws Exception {
    load.awaitNoVms();
  }

  /** Restores of the node's snapshot without the node, on a QEMU driver set up as the node's. */
  RawRestores rawRestores() throws Exception {
    JsonNode snapshot = load.get("/v1/snapshots").path("snapshots").get(0);
    SnapshotFiles files = SnapshotFiles.in(Path.of(snapshot.path("directory").asText()),
        SnapshotFormat.parse(snapshot.path("format").asText()));
    FaascellConfig raw = load.configWith(Map.of("faascell.run-dir", load.scratchDir("raw-run").toString(),
        "faascell.cgroups.parent", load.config.cgroups().getString("parent") + "-raw"));
    return new RawRestores(Node.qemuMicrovm(raw), image(), files, snapshot.path("memoryMb").asInt(128),
        snapshot.path("vcpus").asInt(1));
  }

  @Override
  public void close() throws Exception {
    try {
      http.close();
    } finally {
      load.close();
    }
  }
}
