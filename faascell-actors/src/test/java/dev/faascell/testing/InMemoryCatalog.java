package dev.faascell.testing;

import dev.faascell.snapshot.SnapshotCatalog;
import dev.faascell.snapshot.SnapshotRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A snapshot catalog in a map, for actor tests; it notes the threads that wrote to it. */
public final class InMemoryCatalog implements SnapshotCatalog {
  public final Map<String, SnapshotRecord> records = new ConcurrentHashMap<>();
  public final Set<String> writerThreads = ConcurrentHashMap.newKeySet();

  @Override
  public List<SnapshotRecord> loadSnapshots() {
    return List.copyOf(records.values());
  }

  @Override
  public void saveSnapshot(SnapshotRecord record) {
    writerThreads.add(Thread.currentThread().getName());
    records.put(record.id(), record);
  }

  @Override
  public void deleteSnapshot(String id) {
    writerThreads.add(Thread.currentThread().getName());
    records.remove(id);
  }
}
