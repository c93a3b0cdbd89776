package dev.faascell.vmm.qemu;

import java.util.BitSet;
import java.util.OptionalInt;

/**
 * The unprivileged user ids QEMU processes run as, one per live VM, so that no two VMs share a uid:
 * a QEMU process taken over by its guest cannot signal, ptrace or read the files of another VM's.
 * These uids need no passwd entries; QEMU's {@code -runas uid:gid} sets them directly.
 */
final class JailUids {
  private final int first;
  private final BitSet taken;
  private final int count;

  /** {@code count} uids from {@code first}; a count of 0 means no jail (QEMU keeps the daemon's uid). */
  JailUids(int first, int count) {
    if (count < 0 || (count > 0 && first <= 0)) {
      throw new IllegalArgumentException("jail uids: first must be > 0 and count >= 0, got " + first + "+" + count);
    }
    this.first = first;
    this.count = count;
    this.taken = new BitSet(count);
  }

  boolean enabled() {
    return count > 0;
  }

  /** A free uid, or empty when every uid of the range runs a VM. */
  synchronized OptionalInt acquire() {
    int index = taken.nextClearBit(0);
    if (index >= count) {
      return OptionalInt.empty();
    }
    taken.set(index);
    return OptionalInt.of(first + index);
  }

  synchronized void release(int uid) {
    taken.clear(uid - first);
  }
}
