package dev.faascell.simulator.calibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.faascell.replay.azure.PercentileDistribution;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A node's measured start and run costs, per runtime and memory size: what the simulator draws from.
 * A function gets the entry of its runtime whose memory size is nearest its own (ties: the larger),
 * else the nearest of any runtime. Stored as JSON: each distribution is its values at {@link #PERCENTILES}.
 *
 * @param host    what the figures were measured on, for the report
 * @param source  where they come from (a trace file, the shipped default)
 */
public record Calibration(String host, String source, List<Entry> entries) {
  /** The probabilities each stored distribution lists its values at. */
  public static final double[] PERCENTILES = {0, 0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99, 1};
  /** The calibration that ships for a 2-core host running guests under QEMU TCG (docs/BENCHMARKS.md). */
  public static final String DEFAULT_RESOURCE = "/dev/faascell/simulator/calibration/tcg-2core.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public Calibration {
    entries = List.copyOf(entries);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a calibration needs at least one entry");
    }
    entries.forEach(Entry::check);
  }

  /**
   * One runtime and memory size: each list holds the values (ms) at {@link #PERCENTILES}.
   *
   * @param samples how many invocations of each kind the figures come from (cold, restore, warm)
   */
  public record Entry(String runtime, int memoryMb, List<Double> bootMs, List<Double> initMs, List<Double> snapshotMs,
                      List<Double> restoreMs, List<Double> warmOverheadMs, List<Integer> samples) {
    void check() {
      for (List<Double> values : List.of(bootMs, initMs, snapshotMs, restoreMs, warmOverheadMs)) {
        if (values == null || values.size() != PERCENTILES.length) {
          throw new IllegalArgumentException("calibration entry " + runtime + "/" + memoryMb + " MB: every distribution "
              + "needs " + PERCENTILES.length + " values (at percentiles 0, 1, 5, 10, 25, 50, 75, 90, 95, 99, 100)");
        }
      }
    }

    Costs costs() {
      return new Costs(distribution(bootMs), distribution(initMs), distribution(snapshotMs), distribution(restoreMs),
          distribution(warmOverheadMs));
    }

    private static PercentileDistribution distribution(List<Double> values) {
      return new PercentileDistribution(PERCENTILES, values.stream().mapToDouble(Double::doubleValue).toArray());
    }
  }

  /** The costs of a function of this runtime and memory size. */
  public Costs costs(String runtime, int memoryMb) {
    Comparator<Entry> nearest = Comparator.<Entry>comparingInt(e -> Math.abs(e.memoryMb() - memoryMb))
        .thenComparing(Comparator.comparingInt(Entry::memoryMb).reversed());
    String wanted = runtime.toLowerCase(Locale.ROOT);
    return entries.stream().filter(e -> e.runtime().equalsIgnoreCase(wanted)).min(nearest)
        .or(() -> entries.stream().min(nearest)).orElseThrow().costs();
  }

  public static Calibration read(Path file) {
    try {
      return JSON.readValue(file.toFile(), Calibration.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the calibration " + file + ": " + e.getMessage(), e);
    }
  }

  /** The calibration shipped for this kind of host. */
  public static Calibration shipped() {
    try (InputStream in = Calibration.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      return JSON.readValue(in, Calibration.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the shipped calibration: " + e.getMessage(), e);
    }
  }

  public void write(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the calibration " + file + ": " + e.getMessage(), e);
    }
  }
}
