package dev.faascell.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks that a snapshot's files are the ones that were recorded. Before every restore: both sizes
 * and the device state's digest (small, so cheap); when the node starts, when a snapshot moves
 * between tiers, before a restore from a tier other than the fastest, and in the background's
 * verification rounds: the RAM file's digest too.
 */
public final class SnapshotIntegrity {
  private SnapshotIntegrity() {
  }

  /** Null if the files match the record, else what is wrong. */
  public static String problem(SnapshotRecord record, boolean checkRam) {
    return problem(record, checkRam, Long.MAX_VALUE);
  }

  /** As {@link #problem(SnapshotRecord, boolean)}, reading the RAM file at most {@code bytesPerSecond}. */
  public static String problem(SnapshotRecord record, boolean checkRam, long bytesPerSecond) {
    try {
      var files = record.files();
      if (!Files.isRegularFile(files.state())) {
        return "its state file is missing";
      }
      if (Files.size(files.state()) != record.stateBytes()) {
        return "its state file is " + Files.size(files.state()) + " bytes, " + record.stateBytes() + " recorded";
      }
      if (!sha256(files.state()).equals(record.stateSha256())) {
        return "its state file's digest differs from the recorded one";
      }
      if (files.ram().isPresent()) {
        Path ram = files.ram().get();
        if (!Files.isRegularFile(ram)) {
          return "its RAM file is missing";
        }
        if (Files.size(ram) != record.ramBytes()) {
          return "its RAM file is " + Files.size(ram) + " bytes, " + record.ramBytes() + " recorded";
        }
        if (checkRam && !sha256(ram, bytesPerSecond).equals(record.ramSha256())) {
          return "its RAM file's digest differs from the recorded one";
        }
      }
      return null;
    } catch (IOException e) {
      return "its files cannot be read: " + e.getMessage();
    }
  }

  public static String sha256(Path file) throws IOException {
    return sha256(file, Long.MAX_VALUE);
  }

  /** The file's SHA-256, read at most {@code bytesPerSecond}: a background check sleeps rather than hog the disk. */
  static String sha256(Path file, long bytesPerSecond) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long start = System.nanoTime();
    long read = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 20];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
        read += n;
        long aheadNanos = (long) (read * 1e9 / bytesPerSecond) - (System.nanoTime() - start);
        if (aheadNanos > 0) {
          sleep(aheadNanos);
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void sleep(long nanos) throws IOException {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading", e);
    }
  }
}
