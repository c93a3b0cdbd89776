package dev.faascell.snapshot;

import java.util.List;

/** Where snapshot records persist (the node store); the SnapshotManager is its only writer. */
public interface SnapshotCatalog {
  List<SnapshotRecord> loadSnapshots() throws CatalogException;

  void saveSnapshot(SnapshotRecord record) throws CatalogException;

  void deleteSnapshot(String id) throws CatalogException;

  /** The catalog could not be read or written. */
  final class CatalogException extends Exception {
    public CatalogException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
