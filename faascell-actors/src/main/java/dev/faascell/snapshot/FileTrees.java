package dev.faascell.snapshot;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Moving and deleting snapshot directories. */
public final class FileTrees {
  private FileTrees() {
  }

  /**
   * Moves a directory of plain files: a rename within one file system, else a copy and delete
   * (never rewriting a file in place, so processes that map the old files keep their pages).
   */
  public static void move(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      return;
    } catch (AtomicMoveNotSupportedException crossDevice) {
      // another file system: copy, then remove the original
    }
    copy(from, to);
    delete(from);
  }

  /** Copies a directory of plain files into a new directory (partial copies are removed). */
  public static void copy(Path from, Path to) throws IOException {
    Path partial = to.resolveSibling(to.getFileName() + ".partial");
    delete(partial);
    Files.createDirectories(partial);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, partial.resolve(file.getFileName()));
      }
      Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      delete(partial);
      throw e;
    }
  }

  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
