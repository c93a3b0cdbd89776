package dev.faascell.simulator.generator;

import dev.faascell.replay.arrivals.Seeds;
import dev.faascell.replay.azure.AzureTraceFiles;
import dev.faascell.replay.csv.CsvWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a day of function invocations in the Azure Functions 2019 format (the three files of
 * {@link AzureTraceFiles#ofDay}), shaped as the published data set ({@link DayShape}): applications of
 * one or more functions; each application's daily invocations drawn from the paper's distribution,
 * spread over its functions by a Zipf law; timer-triggered functions invoked on a fixed period, the
 * others by a Poisson process with a daily cycle; durations and memory per the paper's CDFs. The same
 * seed writes the same day, so that a policy study on it can be repeated anywhere.
 */
public final class TraceGenerator {
  static final int MINUTES = 1440;
  /** Timer periods in minutes, as cron schedules are written. */
  private static final int[] TIMER_PERIODS = {1, 2, 5, 10, 15, 30, 60, 120, 240, 360, 720, 1440};
  private static final double[] DURATION_SHAPE = {0.3, 0.4, 0.75, 1, 1.4, 3, 4.5};
  private static final double[] MEMORY_SHAPE = {0.8, 0.85, 0.93, 1.0, 1.06, 1.15, 1.2, 1.25};
  private static final String[] OTHER_TRIGGERS = {"http", "http", "http", "http", "queue", "event", "storage",
      "orchestration"};

  private final int functions;
  private final long seed;

  /** A day of {@code functions} functions, from {@code seed}. */
  public TraceGenerator(int functions, long seed) {
    if (functions < 1) {
      throw new IllegalArgumentException("generate at least one function, got " + functions);
    }
    this.functions = functions;
    this.seed = seed;
  }

  /** What was written. */
  public record Written(AzureTraceFiles files, int apps, int functions, long invocations) {}

  /** Writes the day into {@code directory} under the public names of day {@code day}. */
  public Written write(Path directory, int day) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory + ": " + e.getMessage(), e);
    }
    AzureTraceFiles files = AzureTraceFiles.ofDay(directory, day);
    Random shape = Seeds.random(seed, "generator/shape");
    List<Integer> appSizes = appSizes(shape);
    List<Double> appQuantiles = stratified(appSizes.size(), shape);
    long invocations = 0;
    try (CsvWriter calls = CsvWriter.create(files.invocations());
         CsvWriter durations = CsvWriter.create(files.durations());
         CsvWriter memory = CsvWriter.create(files.memory())) {
      calls.row(invocationsHeader());
      durations.row(List.of("HashOwner", "HashApp", "HashFunction", "Average", "Count", "Minimum", "Maximum",
          "percentile_Average_0", "percentile_Average_1", "percentile_Average_25", "percentile_Average_50",
          "percentile_Average_75", "percentile_Average_99", "percentile_Average_100"));
      memory.row(List.of("HashOwner", "HashApp", "SampleCount", "AverageAllocatedMb", "AverageAllocatedMb_pct1",
          "AverageAllocatedMb_pct5", "AverageAllocatedMb_pct25", "AverageAllocatedMb_pct50", "AverageAllocatedMb_pct75",
          "AverageAllocatedMb_pct95", "AverageAllocatedMb_pct99", "AverageAllocatedMb_pct100"));
      for (int app = 0; app < appSizes.size(); app++) {
        Random random = Seeds.random(seed, "generator/app/" + app);
        String owner = hash(random);
        String appHash = hash(random);
        double appDaily = DayShape.appDailyInvocations(appQuantiles.get(app));
        double[] weights = zipf(appSizes.get(app));
        for (int f = 0; f < weights.length; f++) {
          String functionHash = hash(random);
          boolean timer = random.nextDouble() < DayShape.TIMER_SHARE;
          int[] counts = timer ? timerCounts(appDaily * weights[f], random) : poissonCounts(appDaily * weights[f], random);
          long daily = 0;
          for (int count : counts) {
            daily += count;
          }
          if (daily == 0) {
            // the data set lists the functions invoked that day: a rare one still comes once
            counts[random.nextInt(MINUTES)] = 1;
            daily = 1;
          }
          invocations += daily;
          List<String> row = new ArrayList<>(4 + MINUTES);
          row.addAll(List.of(owner, appHash, functionHash,
              timer ? "timer" : OTHER_TRIGGERS[random.nextInt(OTHER_TRIGGERS.length)]));
          for (int count : counts) {
            row.add(Integer.toString(count));
          }
          calls.row(row);
          durations.row(durationRow(owner, appHash, functionHash, Math.max(1, daily), random));
        }
        memory.row(memoryRow(owner, appHash, random));
      }
    }
    return new Written(files, appSizes.size(), functions, invocations);
  }

  /** Functions per application, drawn until there are {@code functions}; the last application is cut to fit. */
  private List<Integer> appSizes(Random random) {
    List<Integer> sizes = new ArrayList<>();
    int left = functions;
    while (left > 0) {
      int size = Math.min(left, DayShape.functionsPerApp(random.nextDouble()));
      sizes.add(size);
      left -= size;
    }
    return sizes;
  }

  /**
   * One quantile per application from each of {@code count} equal strata, shuffled: a small day still
   * covers the whole distribution, its busiest application included.
   */
  private static List<Double> stratified(int count, Random random) {
    List<Double> quantiles = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      quantiles.add((i + random.nextDouble()) / count);
    }
    Collections.shuffle(quantiles, random);
    return quantiles;
  }

  /** An application's invocations over its functions: the k-th gets a share proportional to 1/k. */
  private static double[] zipf(int functions) {
    double[] weights = new double[functions];
    double sum = 0;
    for (int k = 0; k < functions; k++) {
      weights[k] = 1.0 / (k + 1);
      sum += weights[k];
    }
    for (int k = 0; k < functions; k++) {
      weights[k] /= sum;
    }
    return weights;
  }

  /** A timer: the cron period nearest the daily count, at a random phase, each firing invoking it the same number of times. */
  private static int[] timerCounts(double daily, Random random) {
    double wantedPeriod = MINUTES / Math.max(1, daily);
    int period = TIMER_PERIODS[TIMER_PERIODS.length - 1];
    for (int candidate : TIMER_PERIODS) {
      if (Math.abs(Math.log(candidate / wantedPeriod)) < Math.abs(Math.log(period / wantedPeriod))) {
        period = candidate;
      }
    }
    int perFiring = (int) Math.max(1, Math.round(daily * period / MINUTES));
    int[] counts = new int[MINUTES];
    for (int minute = random.nextInt(period); minute < MINUTES; minute += period) {
      counts[minute] = perFiring;
    }
    return counts;
  }

  /** A Poisson process whose rate follows the day: a third higher in the afternoon than at night. */
  private static int[] poissonCounts(double daily, Random random) {
    int[] counts = new int[MINUTES];
    for (int minute = 0; minute < MINUTES; minute++) {
      double cycle = 1 + 0.33 * Math.sin(2 * Math.PI * (minute - 480) / MINUTES);
      counts[minute] = poisson(daily / MINUTES * cycle, random);
    }
    return counts;
  }

  private static int poisson(double mean, Random random) {
    if (mean > 30) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }
    double limit = Math.exp(-mean);
    int count = 0;
    for (double product = random.nextDouble(); product > limit; product *= random.nextDouble()) {
      count++;
    }
    return count;
  }

  private static List<String> durationRow(String owner, String app, String function, long count, Random random) {
    double median = DayShape.medianDurationMs(random.nextDouble());
    List<String> row = new ArrayList<>(List.of(owner, app, function, number(1.25 * median), Long.toString(count),
        number(DURATION_SHAPE[0] * median), number(DURATION_SHAPE[DURATION_SHAPE.length - 1] * median)));
    for (double factor : DURATION_SHAPE) {
      row.add(number(factor * median));
    }
    return row;
  }

  private static List<String> memoryRow(String owner, String app, Random random) {
    double average = DayShape.appMemoryMb(random.nextDouble());
    List<String> row = new ArrayList<>(List.of(owner, app, Integer.toString(60 + random.nextInt(1380)),
        number(average)));
    for (double factor : MEMORY_SHAPE) {
      row.add(number(factor * average));
    }
    return row;
  }

  private static List<String> invocationsHeader() {
    List<String> header = new ArrayList<>(List.of("HashOwner", "HashApp", "HashFunction", "Trigger"));
    for (int minute = 1; minute <= MINUTES; minute++) {
      header.add(Integer.toString(minute));
    }
    return header;
  }

  private static String hash(Random random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
