package dev.faascell.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The cluster's nodes as their heartbeats on the health topic describe them: each node's latest
 * heartbeat, and whether it came within the node timeout.
 */
public final class ClusterView {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Seen(ObjectNode heartbeat, long receivedMillis) {}

  private final Duration nodeTimeout;
  private final Clock clock;
  private final Map<String, Seen> nodes = new ConcurrentHashMap<>();

  public ClusterView(Duration nodeTimeout, Clock clock) {
    this.nodeTimeout = nodeTimeout;
    this.clock = clock;
  }

  /** A heartbeat record (key: node id). */
  public void onHeartbeat(ConsumerRecord<String, byte[]> record) {
    try {
      JsonNode heartbeat = JSON.readTree(record.value());
      if (heartbeat instanceof ObjectNode object && record.key() != null) {
        nodes.put(record.key(), new Seen(object, clock.millis()));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("a heartbeat that is not JSON: " + e.getMessage(), e);
    }
  }

  /** {@code [{"node":…, "alive":true, "lastSeenMs":…, …the heartbeat's fields}]}, by node id. */
  public ArrayNode nodes() {
    ArrayNode list = JSON.createArrayNode();
    long now = clock.millis();
    nodes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
      long age = now - entry.getValue().receivedMillis();
      list.addObject().put("node", entry.getKey()).put("alive", age <= nodeTimeout.toMillis()).put("lastSeenMs", age)
          .setAll((ObjectNode) entry.getValue().heartbeat().deepCopy().without("node"));
    });
    return list;
  }

  /** The nodes heard of within the node timeout. */
  public long aliveCount() {
    long now = clock.millis();
    return nodes.values().stream().filter(seen -> now - seen.receivedMillis() <= nodeTimeout.toMillis()).count();
  }
}
