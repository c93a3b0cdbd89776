package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.faascell.client.ApiResponse;
import dev.faascell.client.FaascellClient;
import dev.faascell.config.FaascellConfig;
import dev.faascell.server.Node;
import dev.faascell.util.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A mixed workload for a long time with random VM kills (kill -9 of a QEMU process, as a crash
 * would): how many invocations were served, failures by cause, and what leaked at the end — QEMU
 * processes, files in the run directory and /dev/shm, the daemon's file descriptors and threads.
 */
@Command(name = "soak", description = "Long mixed workload with random VM kills; reports failures by cause and leaks.")
final class SoakBenchmark implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--minutes", defaultValue = "30")
  int minutes;

  @Option(names = "--rate", defaultValue = "1.5", description = "invocations per second, all functions together")
  double rate;

  @Option(names = "--kill-every-seconds", defaultValue = "20")
  int killEverySeconds;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--image-cache", defaultValue = "/var/tmp/faascell-test/images")
  Path imageCache;

  private static final Map<String, String[]> FUNCTIONS = Map.of(
      "py-echo", new String[] {"python", "main.handle", "main.py", "def handle(event):\n    return event\n"},
      "py-sleep", new String[] {"python", "main.handle", "main.py",
          "import time\ndef handle(event):\n    time.sleep(0.2)\n    return 'slept'\n"},
      "py-alloc", new String[] {"python", "main.handle", "main.py",
          "def handle(event):\n    data = bytearray(16 << 20)\n    return len(data)\n"},
      "sh-echo", new String[] {"exec", "handler.sh", "handler.sh", "#!/bin/sh\ncat\n"});

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-soak-");
    Path shm = Path.of("/dev/shm").resolve(dir.getFileName());
    FaascellConfig config = FaascellConfig.from(ConfigFactory.parseMap(Map.of(
        "faascell.state-dir", dir.resolve("state").toString(), "faascell.run-dir", dir.resolve("run").toString(),
        "faascell.shm-dir", shm.toString(), "faascell.image.cache-dir", imageCache.toString(), "faascell.api.port", 0,
        "faascell.cgroups.parent", dir.getFileName().toString(), "faascell.keep-alive.ttl", "30s",
        "faascell.node.max-vms", 6)));
    // the benchmark's own client and threads exist before the baseline and are gone before the count
    ExecutorService senders = Executors.newCachedThreadPool();
    ExecutorService clientThreads = Executors.newCachedThreadPool();
    // (the node's port is not known yet: the client is pointed at it once it listens)
    FaascellClient client = FaascellClient.to("http://127.0.0.1").executor(clientThreads).build();
    List<String> fdsBefore = openFiles();
    List<String> threadsBefore = threadNames();
    long heapBefore = heapUsedAfterGc();
    Map<String, AtomicInteger> outcomes = new java.util.concurrent.ConcurrentSkipListMap<>();
    int kills = 0;
    SplittableRandom random = new SplittableRandom(seed);
    List<String> names = new ArrayList<>(new TreeMap<>(FUNCTIONS).keySet());
    try (Node node = Node.start(config, (a, b, c) -> { })) {
      FaascellClient http = client.at(node.url());
      for (String name : names) {
        String[] f = FUNCTIONS.get(name);
        String body = "{\"runtime\":\"" + f[0] + "\",\"handler\":\"" + f[1] + "\",\"timeoutMs\":20000,\"code\":{\"file\":\""
            + f[2] + "\",\"text\":" + JSON.writeValueAsString(f[3]) + "}}";
        http.send("PUT", "/v1/functions/" + name, body.getBytes(StandardCharsets.UTF_8));
      }
      long end = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
      long nextKill = System.nanoTime() + Duration.ofSeconds(killEverySeconds).toNanos();
      long nextReport = System.nanoTime();
      List<CompletableFuture<Void>> inFlight = new ArrayList<>();
      while (System.nanoTime() < end) {
        Thread.sleep((long) (-Math.log(1 - random.nextDouble()) / rate * 1000));
        String name = names.get(random.nextInt(names.size()));
        inFlight.add(CompletableFuture.runAsync(() -> outcomes.computeIfAbsent(outcome(http, name),
            k -> new AtomicInteger()).incrementAndGet(), senders));
        if (System.nanoTime() > nextKill) {
          kills += killOne(http, random) ? 1 : 0;
          nextKill = System.nanoTime() + Duration.ofSeconds(killEverySeconds).toNanos();
        }
        if (System.nanoTime() > nextReport) {
          System.err.printf("soak: %d sent, %d VM kills, outcomes %s%n", inFlight.size(), kills, outcomes);
          nextReport = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        }
      }
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
    } finally {
      for (ExecutorService pool : List.of(senders, clientThreads)) {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
      }
    }
    // idle JDK pools (process reapers, the Scala global pool Pekko uses) let their threads go after 60 s
    Thread.sleep(65_000);
    long qemuLeft = ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false)).count();
    long runLeft = count(dir.resolve("run")) - 1;   // the lock file stays
    long shmLeft = count(shm.resolve("vms"));
    List<String> fdsLeft = added(fdsBefore, openFiles());
    List<String> threadsLeft = added(threadsBefore, threadNames());
    long cgroupsLeft = cgroupsLeft(dir.getFileName().toString());
    long heapAfter = heapUsedAfterGc();
    System.out.printf("%d minutes, %.1f invocations/s over %d functions, a VM killed every %d s (%d kills)%n", minutes,
        rate, names.size(), killEverySeconds, kills);
    System.out.println("| outcome | invocations |");
    System.out.println("|---|---|");
    outcomes.forEach((outcome, count) -> System.out.printf("| %s | %d |%n", outcome, count.get()));
    System.out.printf("%nleaks after the node stopped: QEMU processes %d, run-dir entries %d, RAM files %d, "
        + "cgroups %d, daemon file descriptors %+d %s, threads %+d %s, heap used after GC %+d MiB%nmachine: %s%n",
        qemuLeft, runLeft, shmLeft, cgroupsLeft, fdsLeft.size(), fdsLeft, threadsLeft.size(), threadsLeft,
        (heapAfter - heapBefore) >> 20, Machine.describe());
    for (Path tree : List.of(dir, shm)) {
      FileTrees.delete(tree);
    }
    return 0;
  }

  private static String outcome(FaascellClient http, String name) {
    try {
      ApiResponse response = http.send("POST", "/v1/functions/" + name + "/invoke",
          "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
      JsonNode reply = JSON.readTree(response.body());
      return response.status() == 200 ? "ok (" + reply.path("startKind").asText() + ")"
          : response.status() + " " + reply.path("error").path("kind").asText();
    } catch (IOException e) {
      return "connection error";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** kill -9 of one running VM's QEMU process, found through the status API. */
  private static boolean killOne(FaascellClient http, SplittableRandom random) throws Exception {
    JsonNode vms = JSON.readTree(http.send("GET", "/v1/status", null).body()).path("vms");
    List<Long> pids = new ArrayList<>();
    vms.forEach(vm -> {
      if (vm.path("host").path("pid").asLong() > 0) {
        pids.add(vm.path("host").path("pid").asLong());
      }
    });
    if (pids.isEmpty()) {
      return false;
    }
    return ProcessHandle.of(pids.get(random.nextInt(pids.size()))).map(ProcessHandle::destroyForcibly).orElse(false);
  }

  /** The node's cgroup parent and anything below it, in every hierarchy (v2 and the v1 controllers). */
  private static long cgroupsLeft(String parent) throws IOException {
    long left = 0;
    for (String hierarchy : List.of("", "cpu", "cpuacct", "cpuset", "memory")) {
      Path dir = Path.of("/sys/fs/cgroup", hierarchy, parent);
      if (Files.isDirectory(dir)) {
        try (var tree = Files.walk(dir)) {
          left += tree.filter(Files::isDirectory).count();
        }
      }
    }
    return left;
  }

  /** What this process's file descriptors point to (files, pipes; sockets as unix:PATH or tcp), sorted. */
  private static List<String> openFiles() throws IOException {
    Map<String, String> sockets = sockets();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          return target.startsWith("socket:[") ? sockets.getOrDefault(target, target) : target;
        } catch (IOException closedMeanwhile) {
          return null;
        }
      }).filter(java.util.Objects::nonNull).sorted().toList();
    }
  }

  /** socket:[inode] to what the socket is: unix and its path, or tcp and its state (hex, as /proc/net/tcp). */
  private static Map<String, String> sockets() throws IOException {
    Map<String, String> kinds = new java.util.HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 7 && f[6].matches("\\d+")) {
        kinds.put("socket:[" + f[6] + "]", "unix:" + (f.length > 7 ? f[7] : "(unnamed)"));
      }
    }
    for (String table : List.of("tcp", "tcp6")) {
      for (String line : Files.readAllLines(Path.of("/proc/net", table))) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 10 && f[9].matches("\\d+")) {
          kinds.put("socket:[" + f[9] + "]", table + ":state-" + f[3]);
        }
      }
    }
    return kinds;
  }

  /** The names of this process's live threads, numbers stripped so that pools compare by kind. */
  private static List<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream().map(t -> t.getName().replaceAll("\\d+", "N")).sorted().toList();
  }

  /** What {@code after} holds beyond {@code before}, counting repeats. */
  private static List<String> added(List<String> before, List<String> after) {
    List<String> extra = new ArrayList<>(after);
    before.forEach(extra::remove);
    return extra;
  }

  private static long heapUsedAfterGc() {
    System.gc();
    return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
  }

  private static long count(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var entries = Files.list(dir)) {
      return entries.count();
    }
  }
}
