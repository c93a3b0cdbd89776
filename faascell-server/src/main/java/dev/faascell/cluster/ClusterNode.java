package dev.faascell.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.model.FunctionName;
import dev.faascell.node.NodeApi;
import dev.faascell.registry.DeployedFunction;
import dev.faascell.registry.FunctionRegistry;
import dev.faascell.sink.kafka.InvocationReply;
import dev.faascell.sink.kafka.KafkaSink;
import dev.faascell.source.kafka.InvocationRequests;
import dev.faascell.source.kafka.KafkaSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A FaaSCell node as a member of a cluster over Kafka (docs/CLUSTER.md): the Kafka Source and Sink
 * behind the node's Dispatcher, the gateway for its HTTP API, its heartbeats and the view of the
 * others', and the shared function specs. {@link #close()} hands its partitions over.
 */
public final class ClusterNode implements ClusterLink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
  private static final Duration CATCH_UP = Duration.ofSeconds(60);
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** What the cluster parts need of the node. */
  public record NodeParts(FunctionRegistry registry, NodeApi api,
                          Supplier<CompletionStage<ObjectNode>> load, int maxCodeBytes, int maxPayloadBytes,
                          Duration invocationTimeout) {}

  private final KafkaSettings settings;
  private final List<AutoCloseable> parts;
  private final ClusterView view;
  private final KafkaGateway gateway;

  private ClusterNode(KafkaSettings settings, List<AutoCloseable> parts, ClusterView view, KafkaGateway gateway) {
    this.settings = settings;
    this.parts = parts;
    this.view = view;
    this.gateway = gateway;
  }

  public static ClusterNode join(KafkaSettings settings, NodeParts node) throws KafkaUnavailableException {
    KafkaClients clients = new KafkaClients(settings.bootstrap(), "faascell-" + settings.nodeId());
    int maxRecordBytes = node.maxCodeBytes() * 4 / 3 + (1 << 20);   // a spec carries its code, base64
    clients.ensureTopics(List.of(
        KafkaClients.TopicSpec.plain(settings.invocationsTopic(), settings.partitions(), settings.replicationFactor()),
        KafkaClients.TopicSpec.compacted(settings.answeredTopic(), settings.partitions(), settings.replicationFactor(),
            settings.answeredRetention()),
        KafkaClients.TopicSpec.plain(settings.replyTopic(), 1, settings.replicationFactor()),
        shortLived(settings.healthTopic(), settings),
        withMaxRecord(KafkaClients.TopicSpec.compacted(settings.functionsTopic(), 1, settings.replicationFactor(),
            Duration.ZERO), maxRecordBytes)));
    List<AutoCloseable> parts = new ArrayList<>();
    try {
      RecordSender producer = new RecordSender(clients.producer("producer", maxRecordBytes), settings.nodeId());
      parts.add(producer);   // closed last: after everything that sends with it (parts close in reverse)
      KafkaSink sink = new KafkaSink(producer, settings.answeredTopic(), settings.answeredCache());
      TopicTail answered = start(parts, new TopicTail(clients.reader("answered"), settings.answeredTopic(),
          TopicTail.From.BEGINNING, sink::onAnsweredRecord));

      FunctionSpecsTopic functions = new FunctionSpecsTopic(producer, settings.functionsTopic(), node.registry(),
          node.maxCodeBytes());
      TopicTail specs = start(parts, new TopicTail(clients.reader("functions"), settings.functionsTopic(),
          TopicTail.From.BEGINNING, functions::onRecord));
      await(specs.caughtUp(), "the functions topic");   // serve with the cluster's functions, not an old set
      node.registry().listen(functions);

      ClusterView view = new ClusterView(settings.nodeTimeout(), Clock.systemUTC());
      start(parts, new TopicTail(clients.reader("health"), settings.healthTopic(), TopicTail.From.END,
          view::onHeartbeat));
      parts.add(new Heartbeats(producer, settings.healthTopic(), settings.nodeId(), settings.heartbeatInterval(),
          () -> node.load().get().thenApply(load -> load.put("mode", "faascell")
              .put("sentAt", System.currentTimeMillis()))));

      KafkaGateway gateway = new KafkaGateway(producer, settings.invocationsTopic(), settings.replyTopic(),
          node.invocationTimeout());
      TopicTail replies = start(parts, new TopicTail(clients.reader("replies"), settings.replyTopic(),
          TopicTail.From.END, gateway::onReply));
      await(replies.caughtUp(), "the reply topic");

      InvocationRequests requests = new InvocationRequests(settings.nodeId(),
          name -> node.registry().get(name).map(DeployedFunction::spec), node.api(), sink, node.maxPayloadBytes());
      start(parts, new KafkaSource("invocations", clients.groupMember(settings.group(), settings.sessionTimeout(),
          settings.drainTimeout()), settings.invocationsTopic(), settings.maxInFlight(), settings.drainTimeout(),
          requests, assigned -> await(answered.caughtUp(), "the answered topic")));
      log.info("event=cluster-joined node={} bootstrap={} group={} topic={}", settings.nodeId(), settings.bootstrap(),
          settings.group(), settings.invocationsTopic());
      return new ClusterNode(settings, parts, view, gateway);
    } catch (RuntimeException e) {
      closeAll(parts);
      throw new KafkaUnavailableException("could not join the cluster at " + settings.bootstrap() + ": "
          + e.getMessage(), e);
    }
  }

  /** Heartbeats matter for a few seconds: an hour of them is plenty. */
  private static KafkaClients.TopicSpec shortLived(String topic, KafkaSettings settings) {
    return new KafkaClients.TopicSpec(topic, 1, settings.replicationFactor(),
        Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis())));
  }

  private static KafkaClients.TopicSpec withMaxRecord(KafkaClients.TopicSpec topic, int maxRecordBytes) {
    Map<String, String> configs = new java.util.HashMap<>(topic.configs());
    configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxRecordBytes));
    return new KafkaClients.TopicSpec(topic.name(), topic.partitions(), topic.replicationFactor(), configs);
  }

  private static TopicTail start(List<AutoCloseable> parts, TopicTail tail) {
    parts.add(tail);
    return tail.start();
  }

  private static void start(List<AutoCloseable> parts, KafkaSource source) {
    parts.add(source);
    source.start();
  }

  private static void await(java.util.concurrent.CompletableFuture<Void> caughtUp, String what) {
    try {
      caughtUp.get(CATCH_UP.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not read " + what + " within " + CATCH_UP.toSeconds() + " s: "
          + e.getMessage(), e);
    }
  }

  @Override
  public CompletionStage<InvocationReply> invoke(String invocationId, FunctionName function, byte[] payload) {
    return gateway.invoke(invocationId, function, payload);
  }

  @Override
  public ObjectNode status() {
    ObjectNode cluster = JSON.createObjectNode()
        .put("node", settings.nodeId()).put("bootstrap", settings.bootstrap()).put("mode", "faascell");
    ArrayNode nodes = view.nodes();
    cluster.put("aliveNodes", view.aliveCount()).set("nodes", nodes);
    return cluster;
  }

  /** Stops taking work, answers what is running, and leaves the group so the partitions move at once. */
  @Override
  public void close() {
    closeAll(parts);
    log.info("event=cluster-left node={}", settings.nodeId());
  }

  private static void closeAll(List<AutoCloseable> parts) {
    for (int i = parts.size() - 1; i >= 0; i--) {
      try {
        parts.get(i).close();
      } catch (Exception e) {
        log.warn("event=cluster-part-close-failed reason=\"{}\"", e.getMessage());
      }
    }
  }
}
