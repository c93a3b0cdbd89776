package dev.faascell.replay.report;

import dev.faascell.replay.driver.InvocationRecord;
import dev.faascell.replay.driver.StatusSample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The numbers of one run, all computed from its records. Latencies are the client-measured latencies
 * of successful (HTTP 200) invocations: a 429 answered in a millisecond says nothing about how fast the
 * node runs functions, and it is counted under its outcome instead.
 *
 * @param byStartKind warm, restore, cold, and "none" for replies without a start kind (errors)
 * @param byOutcome "ok", or the error kind
 * @param latencyMs "all", warm, restore, cold
 */
public record Summary(int invocations, long late, double maxLatenessMs, Map<String, Long> byStartKind,
                      Map<String, Long> byOutcome, Map<String, LatencyStats> latencyMs, List<FunctionStats> functions,
                      NodeStats node) {
  public static final List<String> START_KINDS = List.of("warm", "restore", "cold");
  public static final String NO_START_KIND = "none";
  public static final String ALL = "all";

  /** Latency percentiles in ms; null when there is no invocation to measure. */
  public record LatencyStats(int count, Double p50, Double p90, Double p99, Double max) {
    static LatencyStats of(List<InvocationRecord> records) {
      Percentiles latencies = new Percentiles(records.stream().mapToDouble(InvocationRecord::latencyMs).toArray());
      return new LatencyStats(latencies.count(), latencies.at(0.50), latencies.at(0.90), latencies.at(0.99), latencies.at(1));
    }
  }

  /**
   * One function's starts. The cold-start rate counts restores as cold starts too (the caller waited
   * for a VM either way) over its successful invocations; the counts keep them apart.
   */
  public record FunctionStats(String function, long invocations, long ok, long warm, long restore, long cold,
                              double coldStartRate) {}

  /** The node as the status samples saw it. */
  public record NodeStats(int samples, int pollFailures, long memoryCapacityMb, long maxMemoryReservedMb, int maxVms) {}

  public static Summary of(List<InvocationRecord> records, List<StatusSample> status, int statusPollFailures) {
    Map<String, Long> byStartKind = new LinkedHashMap<>();
    for (String kind : START_KINDS) {
      byStartKind.put(kind, count(records, r -> r.startKind().equals(kind)));
    }
    byStartKind.put(NO_START_KIND, count(records, r -> !START_KINDS.contains(r.startKind())));
    Map<String, Long> byOutcome = records.stream()
        .collect(Collectors.groupingBy(InvocationRecord::outcome, TreeMap::new, Collectors.counting()));

    List<InvocationRecord> succeeded = records.stream().filter(InvocationRecord::succeeded).toList();
    Map<String, LatencyStats> latency = new LinkedHashMap<>();
    latency.put(ALL, LatencyStats.of(succeeded));
    for (String kind : START_KINDS) {
      latency.put(kind, LatencyStats.of(succeeded.stream().filter(r -> r.startKind().equals(kind)).toList()));
    }

    List<FunctionStats> functions = new ArrayList<>();
    records.stream().collect(Collectors.groupingBy(InvocationRecord::function, TreeMap::new, Collectors.toList()))
        .forEach((function, own) -> functions.add(functionStats(function, own)));

    NodeStats node = new NodeStats(status.size(), statusPollFailures,
        status.stream().mapToLong(StatusSample::memoryCapacityMb).max().orElse(0),
        status.stream().mapToLong(StatusSample::memoryReservedMb).max().orElse(0),
        status.stream().mapToInt(StatusSample::vms).max().orElse(0));
    return new Summary(records.size(), count(records, InvocationRecord::late),
        records.stream().mapToDouble(InvocationRecord::latenessMs).max().orElse(0), byStartKind, byOutcome, latency,
        functions, node);
  }

  private static FunctionStats functionStats(String function, List<InvocationRecord> records) {
    List<InvocationRecord> succeeded = records.stream().filter(InvocationRecord::succeeded).toList();
    long warm = count(succeeded, r -> r.startKind().equals("warm"));
    long restore = count(succeeded, r -> r.startKind().equals("restore"));
    long cold = count(succeeded, r -> r.startKind().equals("cold"));
    double rate = succeeded.isEmpty() ? 0 : (double) (restore + cold) / succeeded.size();
    return new FunctionStats(function, records.size(), succeeded.size(), warm, restore, cold, rate);
  }

  private static long count(List<InvocationRecord> records, Predicate<InvocationRecord> which) {
    return records.stream().filter(which).count();
  }

  public long failed() {
    return invocations - byOutcome.getOrDefault(InvocationRecord.OK, 0L);
  }
}
