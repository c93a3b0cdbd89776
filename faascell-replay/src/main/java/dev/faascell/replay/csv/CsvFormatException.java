package dev.faascell.replay.csv;

/**
 * A CSV file that does not have the expected shape. The message names the file, the line and, where
 * one is to blame, the column, so that a user can open the file at the right place.
 */
public final class CsvFormatException extends RuntimeException {
  public CsvFormatException(String file, long line, String message) {
    super(file + " line " + line + ": " + message);
  }

  /**
   * @param column 1-based column number
   * @param columnName the column's name as the format documents it, e.g. {@code '1..1440' minute 8}
   */
  public CsvFormatException(String file, long line, int column, String columnName, String message) {
    super(file + " line " + line + ", column " + column + " (" + columnName + "): " + message);
  }
}
