package dev.faascell.vmm;

import java.nio.file.Path;

/** Where a VM's guest RAM lives. */
public sealed interface MemoryBacking {
  /** Anonymous process memory: nothing to snapshot from but the migration stream (FULL). */
  record Anonymous() implements MemoryBacking {}

  /**
   * A file the VM maps shared (under /dev/shm): the guest's RAM is the file, so a snapshot is a copy
   * of it plus the small device state (SHARED_RAM).
   */
  record SharedFile(Path file) implements MemoryBacking {}

  /**
   * A snapshot's RAM file mapped private, copy-on-write: many clones share its pages and none ever
   * writes to it.
   */
  record PrivateFile(Path file) implements MemoryBacking {}
}
