package dev.faascell.snapshot;

import dev.faascell.blockingio.BlockingIo;
import dev.faascell.util.FileTrees;
import dev.faascell.vmm.SnapshotFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SnapshotManager's blocking work, off its thread: catalog writes in one lane, in the order the
 * manager asks for them (a snapshot's later record never overtakes an earlier one, its deletion never
 * overtakes its creation); file work — digests, moves, copies, deletions — in parallel. Touches none
 * of the manager's state: what it learns comes back as the futures' values.
 */
final class SnapshotStorage {
  private static final Logger log = LoggerFactory.getLogger(SnapshotManager.class);

  private final SnapshotCatalog catalog;
  private final Executor files;
  private final Executor catalogLane;

  /**
   * @param files       the blocking I/O pool
   * @param catalogLane runs one task at a time, in order
   */
  SnapshotStorage(SnapshotCatalog catalog, Executor files, Executor catalogLane) {
    this.catalog = catalog;
    this.files = files;
    this.catalogLane = catalogLane;
  }

  /** A snapshot a Worker wrote, measured: what placement needs to choose its tier, and its record's digests. */
  record Staged(SnapshotFiles files, long stateBytes, String stateSha256, long ramBytes, String ramSha256) {
    long bytes() {
      return stateBytes + ramBytes;
    }
  }

  /** Sizes and digests of a staged snapshot; on failure its files are deleted. */
  CompletableFuture<Staged> measure(SnapshotFiles staged) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        long stateBytes = Files.size(staged.state());
        String stateSha = SnapshotIntegrity.sha256(staged.state());
        long ramBytes = staged.ram().isPresent() ? Files.size(staged.ram().get()) : 0;
        String ramSha = staged.ram().isPresent() ? SnapshotIntegrity.sha256(staged.ram().get()) : "";
        return new Staged(staged, stateBytes, stateSha, ramBytes, ramSha);
      } catch (IOException e) {
        deleteQuietly(staged.state().getParent());
        throw new UncheckedIOException(e);
      }
    }, files);
  }

  /**
   * Moves a staged snapshot to where {@code record} says, then records it. On failure nothing is left:
   * neither the files nor a record.
   */
  CompletableFuture<SnapshotRecord> adopt(Staged staged, SnapshotRecord record) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        FileTrees.move(staged.files().state().getParent(), record.directory());
        return record;
      } catch (IOException e) {
        deleteQuietly(staged.files().state().getParent());
        throw new UncheckedIOException(e);
      }
    }, files).thenApplyAsync(moved -> {
      try {
        catalog.saveSnapshot(moved);
        return moved;
      } catch (SnapshotCatalog.CatalogException e) {
        deleteQuietly(moved.directory());
        log.warn("event=snapshot-not-recorded function={} reason=\"{}\"", moved.function(), e.getMessage());
        throw new CompletionException(new NotRecorded(e));
      }
    }, catalogLane);
  }

  /** The snapshot could not be recorded in the catalog (its files could be stored). */
  static final class NotRecorded extends Exception {
    NotRecorded(SnapshotCatalog.CatalogException cause) {
      super("cannot record the snapshot: " + cause.getMessage(), cause);
    }
  }

  /** Copies a snapshot to {@code copied}'s directory and checks every byte of the copy (a damaged one is removed). */
  CompletableFuture<Void> copy(SnapshotRecord from, SnapshotRecord copied) {
    return CompletableFuture.runAsync(() -> {
      try {
        FileTrees.copy(from.directory(), copied.directory());
        String problem = SnapshotIntegrity.problem(copied, true);
        if (problem != null) {
          deleteQuietly(copied.directory());
          throw new IOException("the copy is damaged: " + problem);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, files);
  }

  /** What a background check of a snapshot found ({@code problem} null: its files match its record), and its time. */
  record Verification(String problem, long nanos) {}

  /** Re-hashes every file of the snapshot, reading at most {@code bytesPerSecond}. */
  CompletableFuture<Verification> verify(SnapshotRecord record, long bytesPerSecond) {
    return CompletableFuture.supplyAsync(() -> {
      long start = System.nanoTime();
      String problem = SnapshotIntegrity.problem(record, true, bytesPerSecond);
      return new Verification(problem, System.nanoTime() - start);
    }, files);
  }

  /** Records a snapshot's new state, after every write asked for before. */
  void save(SnapshotRecord record) {
    catalogLane.execute(() -> {
      try {
        catalog.saveSnapshot(record);
      } catch (SnapshotCatalog.CatalogException e) {
        log.warn("event=snapshot-catalog-error snapshot={} reason=\"{}\"", record.id(), e.getMessage());
      }
    });
  }

  /** Forgets a snapshot's record, after every write asked for before. */
  void forget(String snapshotId) {
    catalogLane.execute(() -> {
      try {
        catalog.deleteSnapshot(snapshotId);
      } catch (SnapshotCatalog.CatalogException e) {
        log.warn("event=snapshot-catalog-error snapshot={} reason=\"{}\"", snapshotId, e.getMessage());
      }
    });
  }

  /** Waits until every catalog write asked for so far is done (the manager is stopping, the store closes next). */
  void finishCatalogWrites() {
    BlockingIo.drain(catalogLane);
  }

  void deleteFiles(Path directory) {
    files.execute(() -> deleteQuietly(directory));
  }

  private static void deleteQuietly(Path directory) {
    try {
      FileTrees.delete(directory);
    } catch (IOException e) {
      log.warn("event=snapshot-files-not-deleted dir={} reason=\"{}\"", directory, e.toString());
    }
  }
}
