package dev.faascell.cluster;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * faascell.kafka, checked once at start so that a bad value stops the daemon with a clear message
 * instead of failing later inside a Kafka client.
 */
public record KafkaSettings(
    String bootstrap,
    String nodeId,
    String group,
    String invocationsTopic,
    String answeredTopic,
    Duration answeredRetention,
    int answeredCache,
    String replyTopicPrefix,
    String healthTopic,
    Duration heartbeatInterval,
    Duration nodeTimeout,
    String functionsTopic,
    int partitions,
    short replicationFactor,
    int maxInFlight,
    Duration drainTimeout,
    Duration sessionTimeout,
    Optional<OpenWhiskSettings> openWhisk) {

  /** Kafka's own rule for topic names (org.apache.kafka.common.internals.Topic). */
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern HOST_PORT = Pattern.compile("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*");

  /** The OpenWhisk invoker mode: this node is invoker{@code invoker}. */
  public record OpenWhiskSettings(int invoker, String topicPrefix, int userMemoryMb, Duration pingInterval) {}

  public KafkaSettings {
    if (!HOST_PORT.matcher(bootstrap).matches()) {
      throw new IllegalArgumentException("faascell.kafka.bootstrap must be HOST:PORT[,HOST:PORT...], got '"
          + bootstrap + "'");
    }
    for (String topic : new String[] {invocationsTopic, answeredTopic, healthTopic, functionsTopic, replyTopic(nodeId,
        replyTopicPrefix)}) {
      if (!TOPIC.matcher(topic).matches()) {
        throw new IllegalArgumentException("'" + topic + "' is not a Kafka topic name: use 1 to 249 of [a-zA-Z0-9._-]"
            + " (faascell.kafka.*-topic, node-id)");
      }
    }
    if (partitions < 1 || replicationFactor < 1 || maxInFlight < 1 || answeredCache < 1) {
      throw new IllegalArgumentException("faascell.kafka.partitions, replication-factor, max-in-flight and "
          + "answered-cache must be at least 1");
    }
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero() || nodeTimeout.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException("faascell.kafka.heartbeat-interval must be positive and shorter than "
          + "node-timeout");
    }
  }

  /** The settings of a node whose API listens on {@code apiPort}; empty when no bootstrap is configured. */
  public static Optional<KafkaSettings> from(Config kafka, int apiPort) {
    String bootstrap = kafka.getString("bootstrap").strip();
    if (bootstrap.isEmpty()) {
      return Optional.empty();
    }
    String nodeId = kafka.getString("node-id").strip();
    if (nodeId.isEmpty()) {
      // the API port tells nodes on one host apart; an ephemeral one (0) is not known yet, the pid is
      nodeId = hostName() + "-" + (apiPort != 0 ? apiPort : ProcessHandle.current().pid());
    }
    Config ow = kafka.getConfig("openwhisk");
    int invoker = ow.getInt("invoker");
    Optional<OpenWhiskSettings> openWhisk = invoker < 0 ? Optional.empty()
        : Optional.of(new OpenWhiskSettings(invoker, ow.getString("topic-prefix"), ow.getInt("user-memory-mb"),
            ow.getDuration("ping-interval")));
    return Optional.of(new KafkaSettings(bootstrap, nodeId, kafka.getString("group"),
        kafka.getString("invocations-topic"), kafka.getString("answered-topic"),
        kafka.getDuration("answered-retention"), kafka.getInt("answered-cache"), kafka.getString("reply-topic-prefix"),
        kafka.getString("health-topic"), kafka.getDuration("heartbeat-interval"), kafka.getDuration("node-timeout"),
        kafka.getString("functions-topic"), kafka.getInt("partitions"), (short) kafka.getInt("replication-factor"),
        kafka.getInt("max-in-flight"), kafka.getDuration("drain-timeout"), kafka.getDuration("session-timeout"),
        openWhisk));
  }

  /** Where this node's gateway receives the answers to the invocations it forwarded. */
  public String replyTopic() {
    return replyTopic(nodeId, replyTopicPrefix);
  }

  private static String replyTopic(String nodeId, String prefix) {
    return prefix + nodeId;
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^a-zA-Z0-9._-]", "-");
    } catch (java.net.UnknownHostException e) {
      return "node";
    }
  }
}
