package dev.faascell.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which invocations are in flight, on disk: a line when one is admitted, a line when it ends. After a
 * crash (kill -9, OOM), what was admitted and never ended is reported as failed at the next start —
 * never silently lost, never run again. Each line is one write() to the OS, so it survives the
 * process dying; the file is compacted to the open entries when it grows. Owned by the Sink, written
 * from its file lane only ({@link SinkFiles}).
 */
public final class InflightJournal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InflightJournal.class);
  private static final long COMPACT_AT_BYTES = 4 << 20;

  /** An invocation that was admitted and had not ended. */
  public record Open(String invocationId, String function, long receivedEpochMillis) {}

  private final Path file;
  private final Map<String, Open> open = new LinkedHashMap<>();
  private FileChannel channel;

  private InflightJournal(Path file) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /**
   * Reads what an earlier run left open, then starts an empty journal.
   *
   * @return the invocations that were in flight when the earlier run ended without finishing them
   */
  public static Recovered open(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Map<String, Open> left = new LinkedHashMap<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split(" ");
        if (f.length == 4 && f[0].equals("S")) {
          left.put(f[1], new Open(f[1], f[2], Long.parseLong(f[3])));
        } else if (f.length == 2 && f[0].equals("E")) {
          left.remove(f[1]);
        }
        // a torn last line (the crash hit mid-write) is ignored
      }
      Files.delete(file);
    }
    return new Recovered(List.copyOf(left.values()), new InflightJournal(file));
  }

  /** The earlier run's unfinished invocations, and the journal for this run. */
  public record Recovered(List<Open> lost, InflightJournal journal) {}

  void started(String invocationId, String function, long receivedEpochMillis) {
    open.put(invocationId, new Open(invocationId, function, receivedEpochMillis));
    append("S " + invocationId + " " + function + " " + receivedEpochMillis + "\n");
  }

  void ended(String invocationId) {
    if (open.remove(invocationId) != null) {
      append("E " + invocationId + "\n");
    }
  }

  private void append(String line) {
    try {
      channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      if (channel.size() > COMPACT_AT_BYTES) {
        compact();
      }
    } catch (IOException e) {
      log.warn("event=journal-write-failed file={} reason=\"{}\"", file, e.getMessage());
    }
  }

  /** Rewrites the journal with only the open invocations. */
  private void compact() throws IOException {
    Path fresh = file.resolveSibling(file.getFileName() + ".compacting");
    List<String> lines = new ArrayList<>();
    open.values().forEach(o -> lines.add("S " + o.invocationId() + " " + o.function() + " " + o.receivedEpochMillis()));
    Files.write(fresh, lines, StandardCharsets.UTF_8);
    channel.close();
    Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // at shutdown
    }
  }
}
