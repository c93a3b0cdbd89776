package dev.faascell.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private final TopicPartition p0 = new TopicPartition("t", 0);
  private final TopicPartition p1 = new TopicPartition("t", 1);

  @Test
  void onlyTheFinishedPrefixOfAPartitionIsCommitted() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.started(p0, 10);
    tracker.started(p0, 11);
    tracker.started(p0, 12);
    tracker.finished(p0, 11);   // a warm call overtakes a cold one
    assertThat(tracker.committable()).isEmpty();
    tracker.finished(p0, 10);
    assertThat(tracker.committable()).isEqualTo(Map.of(p0, 12L));
    assertThat(tracker.committable()).isEmpty();   // nothing new
    tracker.finished(p0, 12);
    assertThat(tracker.committable()).isEqualTo(Map.of(p0, 13L));
    assertThat(tracker.running()).isZero();
  }

  @Test
  void theLatestPositionHandedOutCanBeCommittedAgain() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.started(p0, 3);
    tracker.started(p1, 8);
    tracker.finished(p0, 3);
    tracker.committable();   // its asynchronous commit may fail in a rebalance
    assertThat(tracker.released(java.util.List.of(p0, p1))).isEqualTo(Map.of(p0, 4L));
    tracker.forget(p0);
    assertThat(tracker.released(java.util.List.of(p0))).isEmpty();
  }

  @Test
  void aHandedOverPartitionIsForgottenWithItsRunningRecords() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.started(p0, 1);
    tracker.started(p1, 5);
    assertThat(tracker.running()).isEqualTo(2);
    assertThat(tracker.runningIn(p1)).isEqualTo(1);
    tracker.forget(p1);
    tracker.finished(p1, 5);   // its answer arrives late: the new owner's commit counts
    assertThat(tracker.running()).isEqualTo(1);
    assertThat(tracker.committable()).isEmpty();
  }
}
