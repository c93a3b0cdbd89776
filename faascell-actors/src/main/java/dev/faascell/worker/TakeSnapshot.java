package dev.faascell.worker;

import dev.faascell.snapshot.FileTrees;
import dev.faascell.vmm.SnapshotFiles;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The post-INIT snapshot: taken when the function has loaded and before any invocation ran in the VM,
 * so no caller's data can ever be in a snapshot. It is written to a staging directory of its own, which
 * the SnapshotManager then adopts into a tier; the VM goes on serving.
 */
final class TakeSnapshot {
  private static final SecureRandom NAMES = new SecureRandom();

  private TakeSnapshot() {
  }

  /** Pauses the VM, writes its snapshot, resumes it. Blocks: runs on the I/O executor. */
  static SnapshotFiles of(VmInstance vm, Path stagingDir, SnapshotFormat format) {
    Path dir = stagingDir.resolve(vm.id() + "-" + Long.toHexString(NAMES.nextLong()));
    try {
      Files.createDirectories(dir);
      return vm.snapshot(dir, format);
    } catch (VmmException | IOException e) {
      deleteQuietly(dir);
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException ignored) {
      // a leftover staging directory is removed at the next start
    }
  }
}
