package dev.faascell.vmm;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The files of one snapshot: the migration stream (device state, and RAM too for FULL) and, for
 * SHARED_RAM, the RAM file.
 */
public record SnapshotFiles(SnapshotFormat format, Path state, Optional<Path> ram) {
  public static final String STATE_FILE = "state.vmstate";
  public static final String RAM_FILE = "memory.ram";

  /** The files of a snapshot of {@code format} in {@code dir}. */
  public static SnapshotFiles in(Path dir, SnapshotFormat format) {
    return new SnapshotFiles(format, dir.resolve(STATE_FILE),
        format == SnapshotFormat.SHARED_RAM ? Optional.of(dir.resolve(RAM_FILE)) : Optional.empty());
  }
}
