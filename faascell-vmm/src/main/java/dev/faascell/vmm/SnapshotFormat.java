package dev.faascell.vmm;

import java.util.Locale;

/** How a snapshot holds the guest's RAM. */
public enum SnapshotFormat {
  /**
   * Guest RAM as a file beside a small device-state stream (QEMU's x-ignore-shared migration). Clones
   * map the file copy-on-write: fast, memory-sharing restores. The RAM file must stay on this node.
   */
  SHARED_RAM,
  /** RAM inside the migration stream: one self-contained, portable file; slower to restore. */
  FULL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static SnapshotFormat parse(String value) {
    for (SnapshotFormat format : values()) {
      if (format.wireName().equals(value)) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown snapshot format '" + value + "': use shared-ram or full");
  }
}
