package dev.faascell.sink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSONL trace file: one line per invocation, rotated by size ({@code invocations.jsonl} →
 * {@code invocations.jsonl.1} → … → {@code .N}, the oldest dropped). Owned by the Sink, written from
 * its file lane only ({@link SinkFiles}). A file that cannot be written (full disk) costs the trace, never the invocation.
 */
final class TraceLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TraceLog.class);

  private final Path file;
  private final long maxBytes;
  private final int keep;
  private BufferedWriter out;
  private long written;
  private boolean failing;

  TraceLog(Path file, long maxBytes, int keep) throws IOException {
    this.file = file;
    this.maxBytes = maxBytes;
    this.keep = keep;
    Files.createDirectories(file.getParent());
    open();
  }

  private void open() throws IOException {
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    written = Files.size(file);
  }

  void append(String line) {
    try {
      if (written + line.length() + 1 > maxBytes && written > 0) {
        rotate();
      }
      out.write(line);
      out.write('\n');
      written += line.length() + 1;
      failing = false;
    } catch (IOException e) {
      if (!failing) {
        log.warn("event=trace-write-failed file={} reason=\"{}\"", file, e.getMessage());
        failing = true;
      }
    }
  }

  private void rotate() throws IOException {
    out.close();
    for (int i = keep - 1; i >= 1; i--) {
      Path older = Path.of(file + "." + i);
      if (Files.exists(older)) {
        Files.move(older, Path.of(file + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file, Path.of(file + ".1"), StandardCopyOption.REPLACE_EXISTING);
    open();
  }

  /** Hands what is buffered to the OS (the Sink does this every second, not per line). */
  void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      if (!failing) {
        log.warn("event=trace-write-failed file={} reason=\"{}\"", file, e.getMessage());
        failing = true;
      }
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException ignored) {
      // at shutdown
    }
  }
}
