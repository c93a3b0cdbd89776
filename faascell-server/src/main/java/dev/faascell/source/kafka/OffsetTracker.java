package dev.faascell.source.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition may be committed. Records of one partition finish out of order
 * (a warm function answers before a cold one fetched earlier), but a committed offset means "every
 * record before it is answered", so the commit position is the first offset still running.
 * Not thread-safe: the poll thread owns it.
 */
final class OffsetTracker {
  /** Per partition: offset → finished; the smallest key is the oldest record not yet committed. */
  private final Map<TopicPartition, TreeMap<Long, Boolean>> open = new HashMap<>();
  /** Per partition: the latest position handed out to commit; committed again when a commit may have failed. */
  private final Map<TopicPartition, Long> released = new HashMap<>();
  private int running;

  /** A record was fetched and is being handled. */
  void started(TopicPartition partition, long offset) {
    open.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, false);
    running++;
  }

  /** A record's answer was produced; ignored when its partition was handed over meanwhile. */
  void finished(TopicPartition partition, long offset) {
    TreeMap<Long, Boolean> offsets = open.get(partition);
    if (offsets != null && offsets.replace(offset, true) != null) {
      running--;
    }
  }

  /** Records fetched and not yet answered, on every partition. */
  int running() {
    return running;
  }

  /** Records of {@code partition} fetched and not yet answered. */
  long runningIn(TopicPartition partition) {
    TreeMap<Long, Boolean> offsets = open.get(partition);
    return offsets == null ? 0 : offsets.values().stream().filter(done -> !done).count();
  }

  /**
   * The offsets to commit now (the next record to read, per partition whose finished prefix grew),
   * forgetting the records they cover.
   */
  Map<TopicPartition, Long> committable() {
    Map<TopicPartition, Long> commits = new HashMap<>();
    open.forEach((partition, offsets) -> {
      Long next = null;
      while (!offsets.isEmpty() && offsets.firstEntry().getValue()) {
        next = offsets.pollFirstEntry().getKey() + 1;
      }
      if (next != null) {
        commits.put(partition, next);
        released.put(partition, next);
      }
    });
    return commits;
  }

  /**
   * The latest positions handed out for {@code partitions}, to commit once more before they leave: an
   * asynchronous commit fails when a rebalance is under way, and what it carried would be redelivered.
   */
  Map<TopicPartition, Long> released(java.util.Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> positions = new HashMap<>();
    partitions.forEach(partition -> {
      Long position = released.get(partition);
      if (position != null) {
        positions.put(partition, position);
      }
    });
    return positions;
  }

  /** The partition was handed over: its unfinished records are the new owner's to answer. */
  void forget(TopicPartition partition) {
    released.remove(partition);
    TreeMap<Long, Boolean> offsets = open.remove(partition);
    if (offsets != null) {
      running -= (int) offsets.values().stream().filter(done -> !done).count();
    }
  }
}
