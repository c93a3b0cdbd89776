package dev.faascell.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The node's Kafka clients, configured in one place: string keys, byte-array values. */
public final class KafkaClients {
  private final String bootstrap;
  private final String clientId;

  public KafkaClients(String bootstrap, String clientId) {
    this.bootstrap = bootstrap;
    this.clientId = clientId;
  }

  /**
   * A producer whose send completes only when every in-sync replica has the record (acks=all), and
   * that never writes a record twice when it retries (idempotence).
   *
   * @param maxRecordBytes the largest record it sends (a function spec carries its code)
   */
  public KafkaProducer<String, byte[]> producer(String purpose, int maxRecordBytes) {
    Map<String, Object> props = common(purpose);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // answers are latency-sensitive: send at once rather than wait to fill a batch
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * A member of consumer group {@code group} that commits its offsets itself, after the answers,
   * and whose partitions move one by one on a rebalance (cooperative) rather than all at once.
   */
  public KafkaConsumer<String, byte[]> groupMember(String group, Duration sessionTimeout, Duration maxBusy) {
    Map<String, Object> props = common(group);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, sessionTimeout.toMillis() / 3));
    props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.max(300_000, maxBusy.toMillis() * 2));
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** A consumer outside any group, for reading whole topics (it assigns partitions itself). */
  public KafkaConsumer<String, byte[]> reader(String purpose) {
    Map<String, Object> props = common(purpose);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** What a topic the node creates when it is missing looks like. */
  public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {
    public static TopicSpec plain(String name, int partitions, short replicationFactor) {
      return new TopicSpec(name, partitions, replicationFactor, Map.of());
    }

    /** Keeps the latest record of each key; {@code retention} also deletes keys older than that, if positive. */
    public static TopicSpec compacted(String name, int partitions, short replicationFactor, Duration retention) {
      Map<String, String> configs = new HashMap<>();
      configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, retention.isZero() ? TopicConfig.CLEANUP_POLICY_COMPACT
          : TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE);
      if (!retention.isZero()) {
        configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
      }
      return new TopicSpec(name, partitions, replicationFactor, configs);
    }
  }

  /** Creates those of {@code topics} that do not exist yet (another node may be creating them too). */
  public void ensureTopics(List<TopicSpec> topics) throws KafkaUnavailableException {
    try (Admin admin = Admin.create(common("admin"))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec topic : topics) {
        if (!existing.contains(topic.name())) {
          missing.add(new NewTopic(topic.name(), topic.partitions(), topic.replicationFactor()).configs(topic.configs()));
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted while creating topics", e);
    } catch (Exception e) {
      throw new KafkaUnavailableException("could not reach Kafka at " + bootstrap + " to create topics "
          + topics.stream().map(TopicSpec::name).toList() + ": " + e.getMessage(), e);
    }
  }

  private Map<String, Object> common(String purpose) {
    Map<String, Object> props = new HashMap<>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-" + purpose);
    return props;
  }
}
