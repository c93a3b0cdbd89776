package dev.faascell.source.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Source of work from a Kafka topic, as one member of a consumer group. Each record goes to the
 * {@link RecordHandler}, which answers it (a FaaSCell invocation, an OpenWhisk activation); its offset
 * is committed only once that answer is produced, so a node that dies leaves its unanswered records
 * to the member that takes its partitions over. Polling, committing and rebalancing happen on this
 * Source's own thread; handlers run asynchronously, so a slow function never holds up the others.
 */
public final class KafkaSource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaSource.class);
  private static final Duration POLL = Duration.ofMillis(100);

  /** Answers one record; the stage completes when the answer is durably produced. */
  @FunctionalInterface
  public interface RecordHandler {
    CompletionStage<?> handle(ConsumerRecord<String, byte[]> record);
  }

  /** Called on the poll thread when partitions arrive, before their first record is handled. */
  @FunctionalInterface
  public interface AssignmentListener {
    void assigned(Collection<TopicPartition> partitions);
  }

  private record Finished(TopicPartition partition, long offset) {}

  private final String name;
  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final int maxInFlight;
  private final Duration drainTimeout;
  private final RecordHandler handler;
  private final AssignmentListener onAssigned;
  private final OffsetTracker offsets = new OffsetTracker();
  private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean stopping;
  private boolean paused;
  private boolean commitFailed;

  /**
   * @param maxInFlight   records handled at once; past this the Source stops fetching
   * @param drainTimeout  how long a partition being handed over (or the Source closing) waits for its
   *                      running records' answers
   */
  public KafkaSource(String name, KafkaConsumer<String, byte[]> consumer, String topic, int maxInFlight,
                     Duration drainTimeout, RecordHandler handler, AssignmentListener onAssigned) {
    this.name = name;
    this.consumer = consumer;
    this.topic = topic;
    this.maxInFlight = maxInFlight;
    this.drainTimeout = drainTimeout;
    this.handler = handler;
    this.onAssigned = onAssigned;
    this.thread = new Thread(this::run, "kafka-source-" + name);
    this.thread.setDaemon(true);
  }

  public KafkaSource start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new Handover());
      while (!stopping) {
        commitFinished();
        flowControl();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          handle(record);
        }
      }
      drain();
    } catch (RuntimeException e) {
      log.error("event=kafka-source-failed source={} topic={}", name, topic, e);
    } finally {
      consumer.close(Duration.ofSeconds(10));   // leaves the group: the partitions move at once
      log.info("event=kafka-source-stopped source={} topic={}", name, topic);
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    offsets.started(partition, record.offset());
    CompletionStage<?> answered;
    try {
      answered = handler.handle(record);
    } catch (RuntimeException e) {
      answered = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    answered.whenComplete((ignored, error) -> {
      if (error == null) {
        finished.add(new Finished(partition, record.offset()));
      } else {
        // the offset stays uncommitted: the record is redelivered to whoever owns the partition next
        log.error("event=kafka-answer-failed source={} partition={} offset={} reason=\"{}\"", name, partition,
            record.offset(), error.getMessage());
      }
    });
  }

  /** Commits every partition's finished prefix; after a failed commit, every position handed out again. */
  private void commitFinished() {
    for (Finished done = finished.poll(); done != null; done = finished.poll()) {
      offsets.finished(done.partition(), done.offset());
    }
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    offsets.committable().forEach((partition, next) -> commits.put(partition, new OffsetAndMetadata(next)));
    if (commitFailed) {
      offsets.released(consumer.assignment()).forEach((partition, next) ->
          commits.putIfAbsent(partition, new OffsetAndMetadata(next)));
      commitFailed = false;
    }
    if (!commits.isEmpty()) {
      consumer.commitAsync(commits, (committed, error) -> {
        if (error != null) {
          commitFailed = true;   // the callback runs on this thread, inside a later poll
          log.warn("event=kafka-commit-failed source={} reason=\"{}\"", name, error.getMessage());
        }
      });
    }
  }

  /** Stops fetching while {@code maxInFlight} records are running, so a burst queues in Kafka, not in memory. */
  private void flowControl() {
    boolean full = offsets.running() >= maxInFlight;
    if (full != paused) {
      if (full) {
        consumer.pause(consumer.assignment());
      } else {
        consumer.resume(consumer.paused());
      }
      paused = full;
    }
  }

  /**
   * Waits for the answers of {@code partitions}' running records (at most the drain timeout); returns
   * the positions to commit for them, including what earlier asynchronous commits carried.
   */
  private Map<TopicPartition, OffsetAndMetadata> awaitAnswers(Collection<TopicPartition> partitions) {
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    while (partitions.stream().anyMatch(p -> offsets.runningIn(p) > 0) && System.nanoTime() < deadline) {
      try {
        Finished done = finished.poll(50, TimeUnit.MILLISECONDS);
        if (done != null) {
          offsets.finished(done.partition(), done.offset());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Finished done = finished.poll(); done != null; done = finished.poll()) {
      offsets.finished(done.partition(), done.offset());
    }
    offsets.committable();
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    offsets.released(partitions).forEach((partition, next) -> commits.put(partition, new OffsetAndMetadata(next)));
    return commits;
  }

  /**
   * Answers what is running and commits before leaving. A commit refused because a rebalance is under
   * way is tried again after a poll has let the rebalance finish (the partitions are paused: the poll
   * fetches nothing), until the drain timeout.
   */
  private void drain() {
    consumer.pause(consumer.assignment());
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> commits = awaitAnswers(consumer.assignment());
      try {
        if (!commits.isEmpty()) {
          consumer.commitSync(commits, Duration.ofSeconds(10));
        }
        return;
      } catch (RebalanceInProgressException e) {
        if (System.nanoTime() > deadline) {
          log.warn("event=kafka-commit-failed source={} reason=\"{}\"", name, e.getMessage());
          return;
        }
        consumer.poll(POLL);
        consumer.pause(consumer.assignment());
      }
    }
  }

  /** The group's hand-over: answer what is running before a partition leaves, forget what was lost. */
  private final class Handover implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> commits = awaitAnswers(partitions);
      try {
        if (!commits.isEmpty()) {
          consumer.commitSync(commits, Duration.ofSeconds(10));
        }
      } catch (RuntimeException e) {
        // the records after the last commit are redelivered to the new owner, which answers them from the record
        log.warn("event=kafka-commit-failed source={} reason=\"{}\"", name, e.getMessage());
      }
      partitions.forEach(offsets::forget);
      log.info("event=kafka-partitions-revoked source={} partitions={}", name, partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      onAssigned.assigned(partitions);
      if (paused) {
        consumer.pause(partitions);
      }
      log.info("event=kafka-partitions-assigned source={} partitions={}", name, partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // another member owns them already: its answers count, ours would be duplicates
      partitions.forEach(offsets::forget);
      log.warn("event=kafka-partitions-lost source={} partitions={}", name, partitions);
    }
  }

  /** Stops fetching, waits for the running records' answers (at most the drain timeout), commits and leaves. */
  @Override
  public void close() {
    stopping = true;   // the loop sees it within one poll
    try {
      thread.join(drainTimeout.plusSeconds(15).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
