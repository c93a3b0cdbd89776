package dev.faascell.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends records from a thread of its own. {@code Producer.send} blocks while it fetches a topic's
 * metadata (the first record to a topic): on the producer's own I/O thread, as in a completion
 * callback, that deadlocks until max.block.ms; on an actor's thread it stalls the actor system.
 */
public final class RecordSender implements AutoCloseable {
  private final Producer<String, byte[]> producer;
  private final ExecutorService thread;

  public RecordSender(Producer<String, byte[]> producer, String name) {
    this.producer = producer;
    this.thread = Executors.newSingleThreadExecutor(runnable -> {
      Thread t = new Thread(runnable, "kafka-send-" + name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Completes when every in-sync replica has the record. */
  public CompletableFuture<Void> send(String topic, String key, byte[] value) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    thread.execute(() -> {
      try {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
          if (error == null) {
            sent.complete(null);
          } else {
            sent.completeExceptionally(error);
          }
        });
      } catch (RuntimeException e) {
        sent.completeExceptionally(e);
      }
    });
    return sent;
  }

  /** Stops sending and closes the producer, after the records already handed to it are sent. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(java.time.Duration.ofSeconds(10));
  }
}
