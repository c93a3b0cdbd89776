package dev.faascell.bench;

import dev.faascell.client.KeepAliveConnection;
import dev.faascell.replay.report.BarFigure;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Warm invocations of the sample Python function in a closed loop with 1, 2 and 4 clients: through the
 * node's HTTP API, and as raw RUN round trips on the channels of the same number of clones of the same
 * snapshot, restored by the node's QEMU driver (same cgroup limits, same RAM backing) and resumed as the
 * node resumes them. Each client count runs the node's path, then the raw path, for the same time; the
 * warm overhead is the node's latency minus the raw latency at one client.
 */
@Command(name = "warm-throughput", description = "Closed-loop warm invocations/s with 1, 2, 4 clients: HTTP API vs raw channel.")
final class WarmThroughputBenchmark implements Callable<Integer> {

  @Option(names = "--clients", split = ",", defaultValue = "1,2,4")
  List<Integer> clientCounts;

  @Option(names = "--seconds", defaultValue = "10", description = "how long each path runs at each client count")
  int seconds;

  @Mixin
  LoadOptions options;

  @Mixin
  SampleNodeOptions node;

  /**
   * One closed loop's outcome: every call's latency over the loop's duration, and the CPU time this JVM
   * (the node and the benchmark's clients) used meanwhile.
   */
  private record Loop(List<Long> latencies, long nanos, long jvmCpuNanos) {
    double perSecond() {
      return latencies.size() * 1e9 / nanos;
    }

    double jvmCpuMicrosPerCall() {
      return jvmCpuNanos / 1e3 / latencies.size();
    }
  }

  /** One client's loop body: a warm call, timed by the loop. */
  private interface Call {
    void call() throws Exception;
  }

  @Override
  public Integer call() throws Exception {
    int most = clientCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", Machine.describe());
    try (SampleFunctionNode bench = SampleFunctionNode.start(options.imageCache, Duration.ofMinutes(30), most + 2, node.overrides)) {
      bench.deploy(1);
      SampleFunctionNode.invoke(bench.http, "cold");
      bench.awaitSnapshot();
      List<KeepAliveConnection> connections = new ArrayList<>();
      List<RawRestores.Clone> clones = new ArrayList<>();
      try (RawRestores raw = bench.rawRestores()) {
        for (int i = 0; i < most; i++) {
          connections.add(new KeepAliveConnection("127.0.0.1", bench.node.port()));
          clones.add(raw.warmClone(SampleFunctionNode.PAYLOAD));
        }
        for (int clients : clientCounts) {
          List<KeepAliveConnection> httpClients = connections.subList(0, clients);
          List<RawRestores.Clone> rawClients = clones.subList(0, clients);
          List<Long> insideNode = Collections.synchronizedList(new ArrayList<>());
          List<Long> onWire = Collections.synchronizedList(new ArrayList<>());
          Loop node = closedLoop(clients, i -> () -> {
            var reply = SampleFunctionNode.invoke(httpClients.get(i), null);
            insideNode.add((long) (reply.path("totalMs").asDouble() * 1e6));
            onWire.add((long) (reply.path("runMs").asDouble() * 1e6));
          });
          Loop channel = closedLoop(clients, i -> () -> rawClients.get(i).run(SampleFunctionNode.PAYLOAD,
              Optional.empty()));
          Map<String, Object> http = summary(node);
          http.put("inside_node", Stats.of(insideNode));   // received by the node → result to the Sink
          http.put("run_on_wire", Stats.of(onWire));       // the node's RUN round trip, as its session timed it
          results.put("http_" + clients, http);
          results.put("raw_" + clients, summary(channel));
          System.err.printf(Locale.ROOT, "%d clients: HTTP %.0f/s, raw channel %.0f/s%n", clients, node.perSecond(),
              channel.perSecond());
        }
      } finally {
        for (KeepAliveConnection connection : connections) {
          connection.close();
        }
        clones.forEach(RawRestores.Clone::close);
      }
    }
    report(results);
    options.write(results);
    node.writeReport(() -> htmlReport(results));
    return 0;
  }

  @SuppressWarnings("unchecked")
  private String htmlReport(Map<String, Object> results) {
    List<BarFigure.Bar> rates = new ArrayList<>();
    List<BarFigure.Bar> latencies = new ArrayList<>();
    for (String path : List.of("http", "raw")) {
      for (int clients : clientCounts) {
        var summary = (Map<String, Object>) results.get(path + "_" + clients);
        String label = (path.equals("http") ? "HTTP API, " : "raw channel, ") + clients + " client" + (clients > 1 ? "s" : "");
        rates.add(new BarFigure.Bar(label, (double) summary.get("per_second"), Double.NaN));
        Stats latency = (Stats) summary.get("latency");
        latencies.add(new BarFigure.Bar(label, latency.p50Ms(), latency.p99Ms()));
      }
    }
    return BarFigure.page("FaaSCell warm invocations vs the raw channel (" + results.get("machine") + ")", List.of(
        new String[] {"Throughput", BarFigure.render("Warm invocations per second, closed loop", rates, "per second",
            false, "invocations per second", "")},
        new String[] {"Latency", BarFigure.render("Warm latency", latencies, "ms (log)", true, "median", "p99")}));
  }

  /** {@code clients} threads call as fast as their calls return for {@link #seconds}, after a short warm-up. */
  private Loop closedLoop(int clients, java.util.function.IntFunction<Call> callOf) throws Exception {
    for (int i = 0; i < clients; i++) {
      for (int warmUp = 0; warmUp < 20; warmUp++) {
        callOf.apply(i).call();
      }
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    List<CompletableFuture<List<Long>>> loops = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Call call = callOf.apply(i);
      loops.add(CompletableFuture.supplyAsync(() -> {
        List<Long> latencies = new ArrayList<>();
        try {
          while (System.nanoTime() < end) {
            long before = System.nanoTime();
            call.call();
            latencies.add(System.nanoTime() - before);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return latencies;
      }, runnable -> new Thread(runnable, "bench-client").start()));
    }
    List<Long> all = new ArrayList<>();
    for (var loop : loops) {
      all.addAll(loop.get());
    }
    return new Loop(all, System.nanoTime() - start, os.getProcessCpuTime() - cpuBefore);
  }

  private static Map<String, Object> summary(Loop loop) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("per_second", loop.perSecond());
    summary.put("jvm_cpu_us_per_call", loop.jvmCpuMicrosPerCall());
    summary.put("latency", Stats.of(loop.latencies()));
    return summary;
  }

  @SuppressWarnings("unchecked")
  private void report(Map<String, Object> results) {
    System.out.println("| clients | HTTP API /s | raw channel /s | HTTP / raw | HTTP p50 ms | HTTP p99 ms | raw p50 ms | raw p99 ms "
        + "| JVM CPU µs per call, HTTP | JVM CPU µs per call, raw |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (int clients : clientCounts) {
      var http = (Map<String, Object>) results.get("http_" + clients);
      var raw = (Map<String, Object>) results.get("raw_" + clients);
      Stats httpLatency = (Stats) http.get("latency");
      Stats rawLatency = (Stats) raw.get("latency");
      double httpRate = (double) http.get("per_second");
      double rawRate = (double) raw.get("per_second");
      System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.0f %% | %.3f | %.3f | %.3f | %.3f | %.0f | %.0f |%n", clients,
          httpRate, rawRate, 100 * httpRate / rawRate, httpLatency.p50Ms(), httpLatency.p99Ms(), rawLatency.p50Ms(),
          rawLatency.p99Ms(), (double) http.get("jvm_cpu_us_per_call"), (double) raw.get("jvm_cpu_us_per_call"));
    }
    int fewest = clientCounts.get(0);
    Stats http = (Stats) ((Map<String, Object>) results.get("http_" + fewest)).get("latency");
    Stats raw = (Stats) ((Map<String, Object>) results.get("raw_" + fewest)).get("latency");
    var first = (Map<String, Object>) results.get("http_" + fewest);
    System.out.printf(Locale.ROOT, "%nwarm overhead at %d client(s): p50 %.3f ms (goal < 0.5), p99 %.3f ms (goal < 2)%n",
        fewest, http.p50Ms() - raw.p50Ms(), http.p99Ms() - raw.p99Ms());
    System.out.printf(Locale.ROOT, "where it goes at p50: the node's RUN round trip %.3f ms (raw %.3f), inside the node "
        + "%.3f ms, HTTP and the client %.3f ms%n", ((Stats) first.get("run_on_wire")).p50Ms(), raw.p50Ms(),
        ((Stats) first.get("inside_node")).p50Ms(), http.p50Ms() - ((Stats) first.get("inside_node")).p50Ms());
    System.out.println("machine: " + results.get("machine"));
  }
}
