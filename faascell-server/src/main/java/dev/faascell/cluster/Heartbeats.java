package dev.faascell.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this node's heartbeat — who it is and what capacity it has left — to a topic every interval,
 * on a timer thread of its own. The message itself is built by {@code beat}: FaaSCell's node
 * heartbeat, or an OpenWhisk PingMessage.
 */
public final class Heartbeats implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "kafka-heartbeats");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * @param key   the record key (the node id)
   * @param beat  the next heartbeat's JSON, asked for at every interval
   */
  public Heartbeats(RecordSender sender, String topic, String key, Duration interval,
                    Supplier<CompletionStage<ObjectNode>> beat) {
    timer.scheduleAtFixedRate(() -> beat.get().whenComplete((heartbeat, error) -> {
      if (error != null) {
        log.warn("event=heartbeat-skipped reason=\"{}\"", error.getMessage());
        return;
      }
      try {
        sender.send(topic, key, JSON.writeValueAsBytes(heartbeat));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
