package dev.faascell.util;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Moving, copying and deleting directory trees of plain files (snapshots, VM directories). */
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

  /**
   * Deletes a directory tree. It is first renamed out of the way, so that the path is gone at once: a
   * QEMU process starting on a file in it meanwhile fails instead of recreating the file (QEMU creates a
   * missing memory-backend file) and keeping the directory from being removed.
   */
  public static void delete(Path dir) throws IOException {
    Path doomed = dir.resolveSibling("." + dir.getFileName() + ".deleting-" + System.nanoTime());
    try {
      Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.NoSuchFileException gone) {
      return;
    }
    try (Stream<Path> paths = Files.walk(doomed)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
