package dev.faascell.testing;

import dev.faascell.snapshot.SnapshotCatalog;
import dev.faascell.snapshot.SnapshotRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A snapshot catalog in a map, for actor tests. */
public final class InMemoryCatalog implements SnapshotCatalog {
  public final Map<String, SnapshotRecord> records = new ConcurrentHashMap<>();

  @Override
  public List<SnapshotRecord> loadSnapshots() {
    return List.copyOf(records.values());
  }

  @Override
  public void saveSnapshot(SnapshotRecord record) {
    records.put(record.id(), record);
  }

  @Override
  public void deleteSnapshot(String id) {
    records.remove(id);
  }
}
