package dev.faascell.vmm.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the run directories of ended VMs. Deleting a tree needs file descriptors, so one that cannot
 * be deleted now (the daemon is out of them) is remembered and deleted again before the next launch
 * and when the VMM closes: a passing shortage leaves nothing behind.
 */
final class VmDirectories {
  private static final Logger log = LoggerFactory.getLogger(VmDirectories.class);

  private final Queue<Path> undeleted = new ConcurrentLinkedQueue<>();

  void delete(Path dir) {
    if (!tryDelete(dir)) {
      log.warn("event=vm-dir-not-deleted dir={} action=retry-later", dir);
      undeleted.add(dir);
    }
  }

  /** Tries the directories that could not be deleted before once more. */
  void retryUndeleted() {
    for (int left = undeleted.size(); left > 0; left--) {
      Path dir = undeleted.poll();
      if (dir == null) {
        return;
      }
      if (!tryDelete(dir)) {
        undeleted.add(dir);
      }
    }
  }

  /** True once the directory is gone (by this call or by another thread deleting it at the same time). */
  private static boolean tryDelete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // gone already, being deleted by a kill racing a stop, or no descriptor to read it with
    }
    return Files.notExists(dir);
  }
}
