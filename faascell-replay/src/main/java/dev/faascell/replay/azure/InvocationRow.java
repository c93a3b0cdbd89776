package dev.faascell.replay.azure;

import dev.faascell.replay.csv.CsvReader;
import java.util.List;

/** One row of the invocations file, with its counts inside the window. */
record InvocationRow(FunctionKey key, String trigger, int[] counts) {
  /** The next row, every cell checked (outside the window too, so a damaged file never half-replays), or null at the end. */
  static InvocationRow next(CsvReader reader, int width, TraceWindow window) {
    List<String> row = reader.next();
    if (row == null) {
      return null;
    }
    int fixed = AzureTraceReader.INVOCATION_COLUMNS.size();
    reader.checkWidth(row, width, i -> i < fixed ? "'" + AzureTraceReader.INVOCATION_COLUMNS.get(i) + "'"
        : AzureTraceReader.minuteColumnName(i - fixed + 1));
    int[] counts = new int[window.minutes()];
    for (int column = fixed + 1; column <= width; column++) {
      int minute = column - fixed;
      int count = count(reader, row.get(column - 1), column, minute);
      if (window.contains(minute)) {
        counts[minute - window.startMinute()] = count;
      }
    }
    return new InvocationRow(new FunctionKey(row.get(0), row.get(1), row.get(2)), row.get(3), counts);
  }

  private static int count(CsvReader reader, String cell, int column, int minute) {
    String trimmed = cell.trim();
    // parsed by hand: a day has 66 million cells, and at most 9 digits cannot overflow an int
    if (trimmed.isEmpty() || trimmed.length() > 9) {
      throw reader.error(column, AzureTraceReader.minuteColumnName(minute), "'" + cell + "' is not a count");
    }
    int count = 0;
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c < '0' || c > '9') {
        throw reader.error(column, AzureTraceReader.minuteColumnName(minute), "'" + cell + "' is not a count");
      }
      count = count * 10 + (c - '0');
    }
    return count;
  }

  long total() {
    long total = 0;
    for (int count : counts) {
      total += count;
    }
    return total;
  }
}
