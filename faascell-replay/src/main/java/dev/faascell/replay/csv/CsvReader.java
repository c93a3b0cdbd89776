package dev.faascell.replay.csv;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Reads a CSV file one row at a time, so that files of any size (a day of the Azure trace is
 * ~150 MB) stream through in constant memory. Knows the line number of every row it returns, for
 * error messages. Fields may be quoted ({@code "a,b"}, with {@code ""} for a quote); a quoted field
 * cannot span lines. Blank lines are skipped.
 */
public final class CsvReader implements Closeable {
  private final String name;
  private final BufferedReader reader;
  private long lineNumber;

  private CsvReader(String name, BufferedReader reader) {
    this.name = name;
    this.reader = reader;
  }

  /** A reader of {@code file}, which errors name by its file name. */
  public static CsvReader open(Path file) {
    try {
      return new CsvReader(file.getFileName().toString(), Files.newBufferedReader(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("cannot read " + file + ": no such file", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The file's name, as error messages give it. */
  public String name() {
    return name;
  }

  /** The line number of the row {@link #next()} returned last (1-based). */
  public long lineNumber() {
    return lineNumber;
  }

  /** The next row's fields, or null at the end of the file. */
  public List<String> next() {
    try {
      String line;
      do {
        line = reader.readLine();
        if (line == null) {
          return null;
        }
        lineNumber++;
      } while (line.isBlank());
      if (lineNumber == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);   // a byte order mark, as spreadsheet exports write it
      }
      return split(line);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + " after line " + lineNumber + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the header row and checks it starts with {@code expected}, column by column; returns the
   * whole header (a format may have more columns after the fixed ones).
   */
  public List<String> header(List<String> expected) {
    return checkHeader(headerRow(String.join(",", expected)), expected);
  }

  /** Reads the header row; {@code expected} describes it for the message if the file is empty. */
  public List<String> headerRow(String expected) {
    List<String> header = next();
    if (header == null) {
      throw new CsvFormatException(name, 1, "the file is empty, expected a header row starting with " + expected);
    }
    return header;
  }

  /** Checks that {@code header}, the row read last, starts with {@code expected}, column by column; returns it. */
  public List<String> checkHeader(List<String> header, List<String> expected) {
    for (int i = 0; i < expected.size(); i++) {
      if (i >= header.size()) {
        throw new CsvFormatException(name, lineNumber, i + 1, "'" + expected.get(i) + "'",
            "missing column, the header ends after " + header.size() + " columns");
      }
      if (!header.get(i).trim().equals(expected.get(i))) {
        throw new CsvFormatException(name, lineNumber, i + 1, "'" + expected.get(i) + "'",
            "wrong header, expected '" + expected.get(i) + "', found '" + header.get(i) + "'");
      }
    }
    return header;
  }

  /**
   * Checks the row returned last has {@code width} fields: a shorter one was cut (a truncated file), a
   * longer one has values no column names.
   *
   * @param columnName the name of the column at a 0-based index, for the message
   */
  public void checkWidth(List<String> row, int width, IntFunction<String> columnName) {
    if (row.size() < width) {
      throw error(row.size() + 1, columnName.apply(row.size()),
          "missing, the row ends after " + row.size() + " of " + width + " columns (truncated?)");
    }
    if (row.size() > width) {
      throw error(width + 1, "beyond the header", "unexpected value '" + row.get(width) + "', the header has " + width + " columns");
    }
  }

  /** {@link #checkWidth(List, int, IntFunction)} for a header of {@code columns}. */
  public void checkWidth(List<String> row, List<String> columns) {
    checkWidth(row, columns.size(), i -> "'" + columns.get(i) + "'");
  }

  /** An error about the row returned last. */
  public CsvFormatException error(int column, String columnName, String message) {
    return new CsvFormatException(name, lineNumber, column, columnName, message);
  }

  private List<String> split(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new CsvFormatException(name, lineNumber, fields.size() + 1, "field " + (fields.size() + 1),
          "a quoted field is not closed before the end of the line");
    }
    fields.add(field.toString());
    return fields;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
