package dev.faascell.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories that tests on real VMs make and must leave no trace of. */
public final class TempDirs {
  private TempDirs() {
  }

  /** Deletes each tree that exists, files before the directories holding them. */
  public static void deleteTrees(Path... trees) throws IOException {
    for (Path tree : trees) {
      if (!Files.exists(tree)) {
        continue;
      }
      try (Stream<Path> paths = Files.walk(tree)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
