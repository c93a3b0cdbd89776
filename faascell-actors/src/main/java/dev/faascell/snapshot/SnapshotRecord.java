package dev.faascell.snapshot;

import dev.faascell.model.FunctionName;
import dev.faascell.vmm.SnapshotFiles;
import dev.faascell.vmm.SnapshotFormat;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Everything the node knows about one snapshot, as persisted in the node store.
 *
 * @param platform       the guest image, VMM version and accelerator it was made under: a snapshot is
 *                       only ever restored on exactly the same platform
 * @param lastRestoredAt {@link Instant#EPOCH} if it was never restored
 */
public record SnapshotRecord(String id, FunctionName function, String functionVersion, String platform,
                             SnapshotFormat format, int memoryMb, int vcpus, String tier, Path directory,
                             long stateBytes, String stateSha256, long ramBytes, String ramSha256, Instant createdAt,
                             Instant lastRestoredAt, long restoreCount) {

  public SnapshotFiles files() {
    return SnapshotFiles.in(directory, format);
  }

  /** The function version key VMs and snapshots are matched by ({@code name@version}). */
  public String functionKey() {
    return function.value() + "@" + functionVersion;
  }

  public long bytes() {
    return stateBytes + ramBytes;
  }

  public SnapshotRecord restored(Instant at) {
    return new SnapshotRecord(id, function, functionVersion, platform, format, memoryMb, vcpus, tier, directory,
        stateBytes, stateSha256, ramBytes, ramSha256, createdAt, at, restoreCount + 1);
  }

  public SnapshotRecord movedTo(String newTier, Path newDirectory) {
    return new SnapshotRecord(id, function, functionVersion, platform, format, memoryMb, vcpus, newTier, newDirectory,
        stateBytes, stateSha256, ramBytes, ramSha256, createdAt, lastRestoredAt, restoreCount);
  }
}
