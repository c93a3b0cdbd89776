package dev.faascell.server;

import dev.faascell.util.FileLocks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Only one daemon may own a run directory: at start it kills whatever VMs it finds there, which must
 * never be another live daemon's.
 */
final class RunDirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private RunDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static RunDirLock acquire(Path runDir) throws IOException {
    Files.createDirectories(runDir);
    FileLock lock = FileLocks.tryLock(runDir.resolve("daemon.lock"));
    if (lock == null) {
      throw new IOException("another FaaSCell daemon is running with run dir " + runDir);
    }
    return new RunDirLock(lock.channel(), lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
