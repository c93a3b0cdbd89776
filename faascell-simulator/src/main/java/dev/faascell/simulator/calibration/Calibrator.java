package dev.faascell.simulator.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * Derives a {@link Calibration} from a node's own trace records (the JSON lines of
 * {@code faascell.trace.file}, or {@code GET /v1/invocations}): per memory size, the distribution of
 * cold boots (boot, init, snapshot), restores and the warm overhead (the invocation's time in the node
 * less the guest's execution and its queue wait). Only successful invocations count.
 */
public final class Calibrator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ToIntFunction<String> memoryOf;
  private final String runtime;
  private final Map<Integer, Samples> byMemory = new TreeMap<>();

  /**
   * @param memoryOf a function's memory size in MB by its name (records do not carry it); entries are
   *     made per size
   */
  public Calibrator(ToIntFunction<String> memoryOf, String runtime) {
    this.memoryOf = memoryOf;
    this.runtime = runtime;
  }

  private static final class Samples {
    final List<Double> boot = new ArrayList<>();
    final List<Double> init = new ArrayList<>();
    final List<Double> snapshot = new ArrayList<>();
    final List<Double> restore = new ArrayList<>();
    final List<Double> warmOverhead = new ArrayList<>();
  }

  /** Reads one trace file; a line that is not a trace record stops with its file and line. */
  public Calibrator read(Path traceFile) {
    try (BufferedReader in = Files.newBufferedReader(traceFile, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode record;
        try {
          record = JSON.readTree(line);
        } catch (IOException e) {
          throw new IllegalArgumentException(traceFile + " line " + lineNumber + ": not a JSON trace record: "
              + e.getMessage());
        }
        if (!record.hasNonNull("function") || !record.hasNonNull("outcome")) {
          throw new IllegalArgumentException(traceFile + " line " + lineNumber
              + ": not a trace record (no function or outcome)");
        }
        add(record);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + traceFile + ": " + e.getMessage(), e);
    }
    return this;
  }

  private void add(JsonNode record) {
    if (!record.path("outcome").asText().equals("ok")) {
      return;
    }
    Samples samples = byMemory.computeIfAbsent(memoryOf.applyAsInt(record.path("function").asText()), mb -> new Samples());
    JsonNode startup = record.path("startupUs");
    JsonNode stamps = record.path("timestampsUs");
    double queueMs = (stamps.path("dequeued").asDouble() - stamps.path("enqueued").asDouble()) / 1000;
    switch (record.path("startKind").asText()) {
      case "cold" -> {
        samples.boot.add(startup.path("boot").asDouble() / 1000);
        samples.init.add(startup.path("init").asDouble() / 1000);
        if (startup.path("snapshot").asLong() > 0) {
          samples.snapshot.add(startup.path("snapshot").asDouble() / 1000);
        }
      }
      case "restore" -> samples.restore.add(startup.path("restore").asDouble() / 1000);
      case "warm" -> samples.warmOverhead.add(Math.max(0,
          record.path("totalUs").asDouble() / 1000 - record.path("guestExecUs").asDouble() / 1000 - queueMs));
      default -> {
        // a record without a start kind has nothing to say about starts
      }
    }
  }

  /**
   * The calibration: an entry per memory size with samples; a kind no record of a size measured is
   * taken from {@code fallback} (e.g. the shipped calibration), so that every entry is complete.
   */
  public Calibration calibration(String host, String source, Calibration fallback) {
    List<Calibration.Entry> entries = new ArrayList<>();
    byMemory.forEach((memoryMb, s) -> {
      Calibration.Entry base = fallback.entries().stream()
          .min((a, b) -> Integer.compare(Math.abs(a.memoryMb() - memoryMb), Math.abs(b.memoryMb() - memoryMb)))
          .orElseThrow();
      entries.add(new Calibration.Entry(runtime, memoryMb, or(s.boot, base.bootMs()), or(s.init, base.initMs()),
          or(s.snapshot, base.snapshotMs()), or(s.restore, base.restoreMs()), or(s.warmOverhead, base.warmOverheadMs()),
          List.of(s.boot.size(), s.restore.size(), s.warmOverhead.size())));
    });
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("the trace has no successful invocation to calibrate from");
    }
    return new Calibration(host, source, entries);
  }

  private static List<Double> or(List<Double> samples, List<Double> fallback) {
    return samples.isEmpty() ? fallback : percentiles(samples);
  }

  /** The samples' values at {@link Calibration#PERCENTILES}, interpolated between order statistics. */
  static List<Double> percentiles(List<Double> samples) {
    double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return Arrays.stream(Calibration.PERCENTILES).map(p -> {
      double rank = p * (sorted.length - 1);
      int low = (int) Math.floor(rank);
      int high = Math.min(sorted.length - 1, low + 1);
      return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }).boxed().toList();
  }
}
