package dev.faascell.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive locks on files, held by the process: the kernel drops them when the process dies, so a
 * daemon killed with -9 leaves nothing held (the run directory's lock, the jail uids' leases).
 */
public final class FileLocks {
  private FileLocks() {
  }

  /**
   * Locks {@code file}, creating it if needed. Release with {@code lock.release()} and close its
   * {@code channel()}.
   *
   * @return the lock, or null when another process holds it (then nothing stays open)
   */
  public static FileLock tryLock(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
      }
      return lock;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }
}
