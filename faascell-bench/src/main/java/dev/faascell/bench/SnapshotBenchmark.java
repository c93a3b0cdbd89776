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
import dev.faascell.vmm.SnapshotFiles;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmRestore;
import dev.faascell.vmm.qemu.QemuMicrovm;
import java.io.IOException;
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
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cold, restore and warm latency of the sample Python function through the HTTP API, beside the raw
 * QEMU restore of the same snapshot (the spike's sequence: a fresh QEMU waiting for an incoming
 * migration, the stream fed in, the first reply on the channel; no FaaSCell), interleaved in the same
 * run; then N concurrent invocations with a snapshot and no warm VM, with each clone's memory (PSS).
 */
@Command(name = "snapshot", description = "Cold vs restore vs warm, FaaSCell restore vs raw QEMU restore, concurrent clones.")
final class SnapshotBenchmark implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PAYLOAD = "{\"name\":\"bench\"}".getBytes(StandardCharsets.UTF_8);
  private static final Duration TTL = Duration.ofSeconds(2);

  @Option(names = "--cold", defaultValue = "5")
  int colds;

  @Option(names = "--restores", defaultValue = "15")
  int restores;

  @Option(names = "--warm", defaultValue = "500")
  int warms;

  @Option(names = "--clones", defaultValue = "8")
  int clones;

  @Option(names = "--image-cache", defaultValue = "/var/tmp/faascell-test/images")
  Path imageCache;

  @Option(names = "--out", description = "write the results as JSON here")
  Path out;

  private String code;

  @Override
  public Integer call() throws Exception {
    code = new String(Node.class.getResourceAsStream("/samples/hello/main.py").readAllBytes(), StandardCharsets.UTF_8);
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-snapbench-");
    Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "fc-snapbench-");
    FaascellConfig config = FaascellConfig.from(ConfigFactory.parseMap(Map.of(
        "faascell.state-dir", dir.resolve("state").toString(), "faascell.run-dir", dir.resolve("run").toString(),
        "faascell.shm-dir", shm.toString(), "faascell.image.cache-dir", imageCache.toString(),
        "faascell.api.port", 0, "faascell.samples.deploy", false, "faascell.node.max-vms", Math.max(8, clones),
        "faascell.keep-alive.ttl", TTL.toMillis() + "ms", "faascell.keep-alive.check-interval", "100ms")));
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", Machine.describe());
    try (Node node = Node.start(config, (step, steps, what) -> System.err.printf("[image %d/%d] %s%n", step, steps, what));
         KeepAliveConnection http = new KeepAliveConnection("127.0.0.1", node.port())) {
      List<Long> cold = new ArrayList<>();
      for (int i = 1; i <= colds; i++) {
        deploy(http, i);   // a new version: neither a warm VM nor a snapshot can serve it
        cold.add(timed(http, "cold"));
        awaitSnapshot(http, i);
      }
      System.err.println("cold starts done; restores interleaved with raw QEMU restores of the same snapshot");
      GuestImage image = new ImageBuilder(Node.imageConfig(config), (a, b, c) -> { }).ensure();
      QemuMicrovm raw = new QemuMicrovm(Node.qemuConfig(config));
      SnapshotFiles files = snapshotFiles(http);
      List<Long> restore = new ArrayList<>();
      List<Long> restoreStage = new ArrayList<>();
      List<Long> rawRestore = new ArrayList<>();
      for (int i = 0; i < restores; i++) {
        awaitNoVms(http);
        long start = System.nanoTime();
        JsonNode reply = invoke(http, "restore");
        restore.add(System.nanoTime() - start);
        restoreStage.add((long) (reply.path("restoreMs").asDouble() * 1e6));
        rawRestore.add(rawRestore(raw, image, files, i));
      }
      List<Long> warm = new ArrayList<>();
      for (int i = 0; i < warms; i++) {
        warm.add(timed(http, i == 0 ? null : "warm"));
      }
      awaitNoVms(http);
      List<Long> concurrent = concurrentClones(node.port());
      List<Long> pss = clonePss(dir.resolve("run"));
      results.put("cold_http", Stats.of(cold));
      results.put("restore_http", Stats.of(restore));
      results.put("restore_stage", Stats.of(restoreStage));
      results.put("raw_qemu_restore", Stats.of(rawRestore));
      results.put("warm_http", Stats.of(warm.subList(1, warm.size())));
      results.put("concurrent_clones_http", Stats.of(concurrent));
      results.put("clone_pss_mib", pss.stream().mapToLong(Long::longValue).map(kb -> kb / 1024).boxed().toList());
      report(results);
    } finally {
      FileTrees.delete(dir);
      FileTrees.delete(shm);
    }
    if (out != null) {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), results);
    }
    return 0;
  }

  private void deploy(KeepAliveConnection http, int version) throws Exception {
    String body = "{\"runtime\":\"python\",\"handler\":\"main.handle\",\"env\":{\"BENCH_VERSION\":\"" + version + "\"},"
        + "\"code\":{\"file\":\"main.py\",\"text\":" + JSON.writeValueAsString(code) + "}}";
    var response = http.send("PUT", "/v1/functions/hello", body.getBytes(StandardCharsets.UTF_8));
    if (response.status() / 100 != 2) {
      throw new IllegalStateException("deploy failed: " + response.text());
    }
  }

  private static long timed(KeepAliveConnection http, String startKind) throws Exception {
    long start = System.nanoTime();
    invoke(http, startKind);
    return System.nanoTime() - start;
  }

  private static JsonNode invoke(KeepAliveConnection http, String startKind) throws Exception {
    var response = http.send("POST", "/v1/functions/hello/invoke", PAYLOAD);
    JsonNode reply = JSON.readTree(response.body());
    if (response.status() != 200 || !reply.path("result").path("greeting").asText().equals("Hello, bench!")
        || (startKind != null && !reply.path("startKind").asText().equals(startKind))) {
      throw new IllegalStateException("expected a correct " + startKind + " reply, got " + response.text());
    }
    return reply;
  }

  private static void awaitSnapshot(KeepAliveConnection http, int version) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode snapshots = JSON.readTree(http.send("GET", "/v1/snapshots", new byte[0]).body()).path("snapshots");
      if (snapshots.size() == 1) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no snapshot of version " + version);
  }

  private static void awaitNoVms(KeepAliveConnection http) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (JSON.readTree(http.send("GET", "/v1/status", new byte[0]).body()).path("vms").isEmpty()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("VMs did not expire");
  }

  private static SnapshotFiles snapshotFiles(KeepAliveConnection http) throws Exception {
    JsonNode snapshot = JSON.readTree(http.send("GET", "/v1/snapshots", new byte[0]).body()).path("snapshots").get(0);
    return SnapshotFiles.in(Path.of(snapshot.path("directory").asText()), SnapshotFormat.parse(snapshot.path("format").asText()));
  }

  /** The raw path: start QEMU, feed the snapshot, first reply on the channel (the spike's sequence). */
  private static long rawRestore(QemuMicrovm vmm, GuestImage image, SnapshotFiles files, int i) throws Exception {
    long start = System.nanoTime();
    VmInstance vm = vmm.restore(new VmRestore("raw-" + i, image, 128, 1, files));
    try (AgentConnection channel = AgentConnection.connect(vm.channelSocket(), Duration.ofSeconds(30), vm::isAlive, 8 << 20)) {
      channel.send(new HostRequest.Run(PAYLOAD, "run"));
      GuestReply reply = channel.receive();
      long elapsed = System.nanoTime() - start;
      if (!(reply instanceof GuestReply.Result)) {
        throw new IllegalStateException("raw restore answered " + reply);
      }
      return elapsed;
    } finally {
      vm.kill();
    }
  }

  private List<Long> concurrentClones(int port) throws Exception {
    List<CompletableFuture<Long>> calls = new ArrayList<>();
    for (int i = 0; i < clones; i++) {
      calls.add(CompletableFuture.supplyAsync(() -> {
        try (KeepAliveConnection http = new KeepAliveConnection("127.0.0.1", port)) {
          return timed(http, "restore");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    List<Long> latencies = new ArrayList<>();
    for (var call : calls) {
      latencies.add(call.get());
    }
    return latencies;
  }

  /** Proportional set size of each running clone (shared snapshot pages counted once across clones). */
  private static List<Long> clonePss(Path runDir) {
    List<Long> pss = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> {
      String cmdline = read(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
      if (cmdline.contains(runDir.toString()) && cmdline.contains("share=off") && cmdline.contains("faascell-vm-")) {
        for (String line : read(Path.of("/proc", Long.toString(p.pid()), "smaps_rollup")).split("\n")) {
          if (line.startsWith("Pss:")) {
            pss.add(Long.parseLong(line.replaceAll("\\D", "")));
          }
        }
      }
    });
    return pss;
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  private void report(Map<String, Object> results) {
    System.out.println("| path | n | p50 ms | p90 ms | p99 ms | max ms |");
    System.out.println("|---|---|---|---|---|---|");
    System.out.println(((Stats) results.get("cold_http")).row("cold start → result, HTTP API"));
    System.out.println(((Stats) results.get("restore_http")).row("restore → result, HTTP API"));
    System.out.println(((Stats) results.get("restore_stage")).row("restore stage inside FaaSCell (restoreMs)"));
    System.out.println(((Stats) results.get("raw_qemu_restore")).row("raw QEMU restore → first reply (no FaaSCell)"));
    System.out.println(((Stats) results.get("warm_http")).row("warm invoke, HTTP API"));
    System.out.println(((Stats) results.get("concurrent_clones_http")).row(clones + " concurrent restores, HTTP API"));
    Stats cold = (Stats) results.get("cold_http");
    Stats restore = (Stats) results.get("restore_http");
    Stats raw = (Stats) results.get("raw_qemu_restore");
    Stats concurrent = (Stats) results.get("concurrent_clones_http");
    System.out.printf(Locale.ROOT, "%ncold / restore at p50: %.1fx (target >= 30x)%n", cold.p50Ms() / restore.p50Ms());
    System.out.printf(Locale.ROOT, "FaaSCell restore / raw QEMU restore at p50: %.2fx (target <= 1.3x)%n",
        restore.p50Ms() / raw.p50Ms());
    System.out.printf(Locale.ROOT, "%d concurrent restores p50 / single restore p50: %.2fx (target <= 3x)%n", clones,
        concurrent.p50Ms() / restore.p50Ms());
    System.out.println("PSS per clone (MiB): " + results.get("clone_pss_mib"));
    System.out.println("machine: " + results.get("machine"));
  }

}
