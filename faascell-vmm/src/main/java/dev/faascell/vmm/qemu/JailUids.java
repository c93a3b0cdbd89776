package dev.faascell.vmm.qemu;

import dev.faascell.util.FileLocks;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The unprivileged user ids QEMU processes run as, one per live VM on the whole host, so that no two
 * VMs share a uid: a QEMU process taken over by its guest cannot signal, ptrace or read the files of
 * another VM's, not even one of another daemon. These uids need no passwd entries; QEMU's
 * {@code -runas uid:gid} sets them directly.
 *
 * <p>The range is the host's, so allocation is coordinated through a lease directory every daemon on
 * the host shares: a uid is taken while its lease file (named after the uid) is exclusively locked.
 * The kernel drops the lock when its holder dies, so a daemon killed with -9 leaks no uid, and a lease
 * file left behind is simply locked again by the next taker. Lease files are never deleted: deleting
 * one that another process is about to lock would let two holders lock two different files of the
 * same name.
 */
final class JailUids {
  /**
   * Every lease this process holds, whichever allocator took it. The locks are POSIX record locks, which
   * belong to the process, not to the channel: a second channel on a held lease file would find it
   * locked by the JVM (not by another process), and closing that channel would drop the first one's
   * lock. So a held lease file is never opened twice in this process.
   */
  private static final Map<Path, FileLock> HELD = new HashMap<>();

  private final Path leaseDir;
  private final int first;
  private final int count;

  /**
   * {@code count} uids from {@code first}, leased under {@code leaseDir}; a count of 0 means no jail
   * (QEMU keeps the daemon's uid) and no lease directory.
   */
  JailUids(Path leaseDir, int first, int count) {
    if (count < 0 || (count > 0 && first <= 0)) {
      throw new IllegalArgumentException("jail uids: first must be > 0 and count >= 0, got " + first + "+" + count);
    }
    this.leaseDir = leaseDir;
    this.first = first;
    this.count = count;
  }

  /** No jail: QEMU runs with the daemon's uid. */
  static JailUids none() {
    return new JailUids(null, 0, 0);
  }

  boolean enabled() {
    return count > 0;
  }

  /** The lowest uid no process on the host holds, or empty when every uid of the range runs a VM. */
  OptionalInt acquire() throws IOException {
    synchronized (HELD) {
      Files.createDirectories(leaseDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      for (int uid = first; uid < first + count; uid++) {
        Path lease = lease(uid);
        if (!HELD.containsKey(lease)) {
          FileLock lock = FileLocks.tryLock(lease);
          if (lock != null) {
            HELD.put(lease, lock);
            return OptionalInt.of(uid);
          }
        }
      }
      return OptionalInt.empty();
    }
  }

  /** Frees the uid for any daemon on the host. */
  void release(int uid) {
    synchronized (HELD) {
      FileLock lock = HELD.remove(lease(uid));
      if (lock != null) {
        try {
          lock.channel().close();   // closing the channel releases its lock
        } catch (IOException e) {
          // the descriptor is gone either way, and with it the lock
        }
      }
    }
  }

  private Path lease(int uid) {
    return leaseDir.resolve(Integer.toString(uid));
  }
}
