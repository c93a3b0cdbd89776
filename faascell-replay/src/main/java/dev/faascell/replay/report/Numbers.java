package dev.faascell.replay.report;

import dev.faascell.replay.csv.CsvReader;
import java.util.Locale;

/** How numbers are written to and read from the results' CSV files: NaN is an empty cell. */
final class Numbers {
  private Numbers() {
  }

  static String ms(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
  }

  static double parseMs(CsvReader reader, String cell, int column, String name) {
    if (cell.isEmpty()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(cell);
    } catch (NumberFormatException e) {
      throw reader.error(column, "'" + name + "'", "'" + cell + "' is not a number");
    }
  }

  static long parseLong(CsvReader reader, String cell, int column, String name) {
    try {
      return Long.parseLong(cell);
    } catch (NumberFormatException e) {
      throw reader.error(column, "'" + name + "'", "'" + cell + "' is not an integer");
    }
  }
}
