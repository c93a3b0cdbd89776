package dev.faascell.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every partition of one topic on its own thread, outside any consumer group, handing each
 * record to a callback: how a node learns what all nodes wrote (answers, heartbeats, function specs,
 * its gateway's replies). {@link #caughtUp()} says when everything written so far has been read.
 */
public final class TopicTail implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopicTail.class);
  private static final Duration POLL = Duration.ofMillis(100);

  /** Where reading starts: the whole retained topic, or only what is written from now on. */
  public enum From { BEGINNING, END }

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final From from;
  private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
  private final Queue<CompletableFuture<Void>> catchUpRequests = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean stopping;

  public TopicTail(KafkaConsumer<String, byte[]> consumer, String topic, From from,
                   Consumer<ConsumerRecord<String, byte[]>> onRecord) {
    this.consumer = consumer;
    this.topic = topic;
    this.from = from;
    this.onRecord = onRecord;
    this.thread = new Thread(this::run, "kafka-tail-" + topic);
    this.thread.setDaemon(true);
  }

  public TopicTail start() {
    thread.start();
    return this;
  }

  /** Completes once every record written to the topic before this call has been handed to the callback. */
  public CompletableFuture<Void> caughtUp() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    catchUpRequests.add(done);
    return done;
  }

  private void run() {
    try {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      if (from == From.BEGINNING) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);   // fixes the start now: what is written after start() is read
      }
      List<CompletableFuture<Void>> waiting = new ArrayList<>();
      Map<TopicPartition, Long> target = null;
      while (!stopping) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          try {
            onRecord.accept(record);
          } catch (RuntimeException e) {
            log.warn("event=kafka-record-skipped topic={} partition={} offset={} reason=\"{}\"", topic,
                record.partition(), record.offset(), e.getMessage());
          }
        }
        if (target == null && !catchUpRequests.isEmpty()) {
          for (CompletableFuture<Void> request = catchUpRequests.poll(); request != null; request = catchUpRequests.poll()) {
            waiting.add(request);
          }
          target = consumer.endOffsets(partitions);
        }
        if (target != null && target.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          waiting.forEach(request -> request.complete(null));
          waiting.clear();
          target = null;
        }
      }
    } catch (RuntimeException e) {
      if (!stopping) {
        log.error("event=kafka-tail-failed topic={}", topic, e);
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
      catchUpRequests.forEach(request -> request.completeExceptionally(new IllegalStateException("the tail of "
          + topic + " stopped")));
    }
  }

  @Override
  public void close() {
    stopping = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
