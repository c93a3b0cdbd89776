package dev.faascell.replay.azure;

import dev.faascell.replay.azure.FunctionKey.AppKey;
import dev.faascell.replay.csv.CsvFormatException;
import dev.faascell.replay.csv.CsvReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads the three files of an Azure Functions 2019 trace day and keeps the chosen functions' counts
 * within a window. The invocations file is streamed twice (once to rank the functions, once to keep
 * the chosen ones' counts), so a full day's 150 MB never sits in memory; the duration and memory files
 * are a few MB and are read whole. Any cell that is not what its column holds stops the read with a
 * {@link CsvFormatException} naming the file, line and column.
 */
public final class AzureTraceReader {
  static final List<String> INVOCATION_COLUMNS = List.of("HashOwner", "HashApp", "HashFunction", "Trigger");
  static final List<String> DURATION_COLUMNS = List.of("HashOwner", "HashApp", "HashFunction", "Average", "Count",
      "Minimum", "Maximum", "percentile_Average_0", "percentile_Average_1", "percentile_Average_25",
      "percentile_Average_50", "percentile_Average_75", "percentile_Average_99", "percentile_Average_100");
  /** The public data set's memory file: one row per application. */
  static final List<String> MEMORY_COLUMNS = List.of("HashOwner", "HashApp", "SampleCount", "AverageAllocatedMb",
      "AverageAllocatedMb_pct1", "AverageAllocatedMb_pct5", "AverageAllocatedMb_pct25", "AverageAllocatedMb_pct50",
      "AverageAllocatedMb_pct75", "AverageAllocatedMb_pct95", "AverageAllocatedMb_pct99", "AverageAllocatedMb_pct100");
  /** The memory file as other trace tools ship it: one row per function, the same figures after its hash. */
  static final List<String> FUNCTION_MEMORY_COLUMNS = List.of("HashOwner", "HashApp", "HashFunction", "SampleCount",
      "AverageAllocatedMb", "AverageAllocatedMb_pct1", "AverageAllocatedMb_pct5", "AverageAllocatedMb_pct25",
      "AverageAllocatedMb_pct50", "AverageAllocatedMb_pct75", "AverageAllocatedMb_pct95", "AverageAllocatedMb_pct99",
      "AverageAllocatedMb_pct100");
  static final int MINUTES_PER_DAY = 1440;
  private static final int FIRST_PERCENTILE_COLUMN = 7;
  private static final int FIRST_MEMORY_PERCENTILE_COLUMN = 4;
  private static final double[] DURATION_PROBABILITIES = {0, 0.01, 0.25, 0.50, 0.75, 0.99, 1};
  /** The memory file starts at the 1st percentile; below it the distribution is taken as flat. */
  private static final double[] MEMORY_PROBABILITIES = {0, 0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99, 1};

  /**
   * The chosen functions' counts in the window.
   *
   * @param startMinute the window's first minute (1-based, as the trace's columns)
   * @param minutes how many minutes; empty = through the file's last minute column
   */
  public AzureTrace read(AzureTraceFiles files, FunctionSelection selection, int startMinute, OptionalInt minutes) {
    MemoryTable memory = readMemory(files);
    Map<FunctionKey, PercentileDistribution> durations = readDurations(files);

    Map<FunctionKey, Long> totals = new HashMap<>();
    Map<FunctionKey, String> unusable = new HashMap<>();
    TraceWindow window;
    try (CsvReader reader = CsvReader.open(files.invocations())) {
      List<String> header = reader.header(INVOCATION_COLUMNS);
      int minuteColumns = checkMinuteColumns(reader, header);
      window = window(startMinute, minutes, minuteColumns, reader.name());
      for (InvocationRow row = InvocationRow.next(reader, header.size(), window); row != null;
           row = InvocationRow.next(reader, header.size(), window)) {
        totals.merge(row.key(), row.total(), Long::sum);
        if (!durations.containsKey(row.key())) {
          unusable.put(row.key(), "no row in " + files.durations().getFileName());
        } else if (memory.of(row.key()) == null) {
          unusable.put(row.key(), (memory.perFunction() ? "it has" : "its app has") + " no row in "
              + files.memory().getFileName());
        }
      }
    }
    Map<FunctionKey, Long> candidates = new HashMap<>(totals);
    candidates.keySet().removeAll(unusable.keySet());
    List<FunctionKey> chosen = selection.choose(candidates, unusable);

    Map<FunctionKey, int[]> counts = new HashMap<>();
    Map<FunctionKey, String> triggers = new HashMap<>();
    Set<FunctionKey> wanted = new HashSet<>(chosen);
    try (CsvReader reader = CsvReader.open(files.invocations())) {
      List<String> header = reader.header(INVOCATION_COLUMNS);
      for (InvocationRow row = InvocationRow.next(reader, header.size(), window); row != null;
           row = InvocationRow.next(reader, header.size(), window)) {
        if (wanted.contains(row.key())) {
          // a function listed twice (once per trigger) is invoked by both
          int[] sum = counts.computeIfAbsent(row.key(), k -> new int[window.minutes()]);
          for (int i = 0; i < sum.length; i++) {
            sum[i] += row.counts()[i];
          }
          triggers.merge(row.key(), row.trigger(), (a, b) -> a.equals(b) ? a : a + "+" + b);
        }
      }
    }
    List<TraceFunction> functions = new ArrayList<>();
    for (FunctionKey key : chosen) {
      List<Integer> perMinute = new ArrayList<>();
      for (int count : counts.get(key)) {
        perMinute.add(count);
      }
      functions.add(new TraceFunction(key, triggers.get(key), perMinute, durations.get(key), memory.of(key)));
    }
    int unusableInvoked = (int) unusable.keySet().stream().filter(k -> totals.get(k) > 0).count();
    return new AzureTrace(window, functions, unusableInvoked);
  }

  private static TraceWindow window(int startMinute, OptionalInt minutes, int minuteColumns, String file) {
    int length = minutes.orElse(minuteColumns - startMinute + 1);
    if (startMinute < 1 || startMinute > minuteColumns || length < 1 || startMinute + length - 1 > minuteColumns) {
      throw new IllegalArgumentException("the window from minute " + startMinute + (minutes.isPresent() ? " for "
          + minutes.getAsInt() + " minutes" : "") + " is not within the minutes 1.." + minuteColumns + " of " + file);
    }
    return new TraceWindow(startMinute, length);
  }

  /** The header's minute columns must be 1, 2, ... in order (a full day has 1440); returns how many. */
  private static int checkMinuteColumns(CsvReader reader, List<String> header) {
    int minuteColumns = header.size() - INVOCATION_COLUMNS.size();
    if (minuteColumns < 1 || minuteColumns > MINUTES_PER_DAY) {
      throw new CsvFormatException(reader.name(), reader.lineNumber(), "expected " + String.join(",", INVOCATION_COLUMNS)
          + " and then the minute columns 1..1440, found " + header.size() + " columns");
    }
    for (int minute = 1; minute <= minuteColumns; minute++) {
      int column = INVOCATION_COLUMNS.size() + minute;
      if (!header.get(column - 1).trim().equals(Integer.toString(minute))) {
        throw reader.error(column, minuteColumnName(minute), "wrong header, expected '" + minute + "', found '"
            + header.get(column - 1) + "'");
      }
    }
    return minuteColumns;
  }

  static String minuteColumnName(int minute) {
    return "'1..1440' minute " + minute;
  }

  private static Map<FunctionKey, PercentileDistribution> readDurations(AzureTraceFiles files) {
    Map<FunctionKey, PercentileDistribution> durations = new HashMap<>();
    try (CsvReader reader = CsvReader.open(files.durations())) {
      reader.header(DURATION_COLUMNS);
      for (List<String> row = reader.next(); row != null; row = reader.next()) {
        reader.checkWidth(row, DURATION_COLUMNS);
        double[] numbers = numbers(reader, row, DURATION_COLUMNS, 3, "milliseconds");
        double[] percentiles = new double[DURATION_PROBABILITIES.length];
        System.arraycopy(numbers, FIRST_PERCENTILE_COLUMN, percentiles, 0, percentiles.length);
        // a function listed twice keeps its first row: the trace has no rule to combine percentiles
        durations.putIfAbsent(new FunctionKey(row.get(0), row.get(1), row.get(2)),
            new PercentileDistribution(DURATION_PROBABILITIES, percentiles));
      }
    }
    return durations;
  }

  /** The memory file, in either layout: per application (the public data set) or per function. */
  record MemoryTable(boolean perFunction, Map<AppKey, PercentileDistribution> byApp,
                     Map<FunctionKey, PercentileDistribution> byFunction) {
    PercentileDistribution of(FunctionKey key) {
      return perFunction ? byFunction.get(key) : byApp.get(key.appKey());
    }
  }

  private static MemoryTable readMemory(AzureTraceFiles files) {
    Map<AppKey, PercentileDistribution> byApp = new HashMap<>();
    Map<FunctionKey, PercentileDistribution> byFunction = new HashMap<>();
    boolean perFunction;
    try (CsvReader reader = CsvReader.open(files.memory())) {
      List<String> header = reader.headerRow(String.join(",", MEMORY_COLUMNS) + " (or with HashFunction after HashApp)");
      perFunction = header.size() > 2 && header.get(2).trim().equals("HashFunction");
      List<String> columns = perFunction ? FUNCTION_MEMORY_COLUMNS : MEMORY_COLUMNS;
      reader.checkHeader(header, columns);
      int keyColumns = perFunction ? 3 : 2;
      for (List<String> row = reader.next(); row != null; row = reader.next()) {
        reader.checkWidth(row, columns);
        double[] numbers = numbers(reader, row, columns, keyColumns, "MB");
        int first = keyColumns + FIRST_MEMORY_PERCENTILE_COLUMN - 2;
        double[] percentiles = new double[MEMORY_PROBABILITIES.length];
        percentiles[0] = numbers[first];
        System.arraycopy(numbers, first, percentiles, 1, percentiles.length - 1);
        PercentileDistribution distribution = new PercentileDistribution(MEMORY_PROBABILITIES, percentiles);
        if (perFunction) {
          byFunction.putIfAbsent(new FunctionKey(row.get(0), row.get(1), row.get(2)), distribution);
        } else {
          byApp.putIfAbsent(new AppKey(row.get(0), row.get(1)), distribution);
        }
      }
    }
    return new MemoryTable(perFunction, byApp, byFunction);
  }

  /** The row's cells from {@code first} on as non-negative numbers (index = column - 1). */
  private static double[] numbers(CsvReader reader, List<String> row, List<String> columns, int first, String unit) {
    double[] numbers = new double[row.size()];
    for (int i = first; i < row.size(); i++) {
      String cell = row.get(i).trim();
      double value;
      try {
        value = Double.parseDouble(cell);
      } catch (NumberFormatException e) {
        value = Double.NaN;
      }
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw reader.error(i + 1, "'" + columns.get(i) + "'", "'" + cell + "' is not a number of " + unit);
      }
      numbers[i] = value;
    }
    return numbers;
  }
}
