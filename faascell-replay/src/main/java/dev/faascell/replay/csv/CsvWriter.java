package dev.faascell.replay.csv;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes CSV rows that {@link CsvReader} reads back: fields with a comma or quote are quoted, and line
 * breaks inside a field become spaces (an error message is the only field that may have them, and
 * one row per line keeps the file greppable).
 */
public final class CsvWriter implements Closeable {
  private final BufferedWriter writer;

  private CsvWriter(BufferedWriter writer) {
    this.writer = writer;
  }

  public static CsvWriter create(Path file) {
    try {
      return new CsvWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  public void row(List<String> fields) {
    try {
      writer.write(fields.stream().map(CsvWriter::escape).collect(Collectors.joining(",")));
      writer.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String escape(String field) {
    String oneLine = field.replace('\r', ' ').replace('\n', ' ');
    if (oneLine.indexOf(',') < 0 && oneLine.indexOf('"') < 0) {
      return oneLine;
    }
    return "\"" + oneLine.replace("\"", "\"\"") + "\"";
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
