package dev.faascell.openwhisk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.cluster.Heartbeats;
import dev.faascell.cluster.KafkaClients;
import dev.faascell.cluster.KafkaSettings;
import dev.faascell.cluster.KafkaUnavailableException;
import dev.faascell.cluster.RecordSender;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvalidInputException;
import dev.faascell.model.Invocation;
import dev.faascell.model.InvocationResult;
import dev.faascell.node.NodeApi;
import dev.faascell.source.kafka.KafkaSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node as Apache OpenWhisk's invoker{@code N} (InvokerReactive.scala): it consumes
 * {@code ActivationMessage}s from topic {@code invoker<N>} in consumer group {@code invoker<N>}, runs
 * each action in a microVM through the node's Dispatcher, and sends the completion to
 * {@code completed<controller>} — a CombinedCompletionAndResultMessage for a blocking activation, a
 * CompletionMessage for a non-blocking one (ContainerProxy.scala) — and a PingMessage to
 * {@code health} every second. An activation's offset is committed after its completion is sent.
 */
public final class OpenWhiskInvoker implements KafkaSource.RecordHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpenWhiskInvoker.class);

  private final RecordSender producer;
  private final String topicPrefix;
  private final OpenWhiskMessages.Invoker invoker;
  private final OpenWhiskActions actions;
  private final NodeApi node;
  private KafkaSource source;
  private Heartbeats pings;

  private OpenWhiskInvoker(RecordSender producer, String topicPrefix,
                           OpenWhiskMessages.Invoker invoker, OpenWhiskActions actions, NodeApi node) {
    this.producer = producer;
    this.topicPrefix = topicPrefix;
    this.invoker = invoker;
    this.actions = actions;
    this.node = node;
  }

  /**
   * Starts invoker{@code settings.invoker()}: deploys the health test action's stand-in, creates the
   * invoker's topic if missing (as OpenWhisk's Invoker does at start), and starts consuming and pinging.
   */
  public static OpenWhiskInvoker start(KafkaSettings kafka, KafkaSettings.OpenWhiskSettings settings,
                                       NodeApi node, int nodeMemoryMb) throws KafkaUnavailableException {
    node.deploy(OpenWhiskActions.healthFunction(Duration.ofMinutes(1))).toCompletableFuture().join();
    String topic = settings.topicPrefix() + "invoker" + settings.invoker();
    KafkaClients clients = new KafkaClients(kafka.bootstrap(), "faascell-" + topic);
    clients.ensureTopics(List.of(KafkaClients.TopicSpec.plain(topic, 1, kafka.replicationFactor()),
        KafkaClients.TopicSpec.plain(settings.topicPrefix() + "health", 1, kafka.replicationFactor())));
    int userMemoryMb = settings.userMemoryMb() > 0 ? settings.userMemoryMb() : nodeMemoryMb;
    var invoker = new OpenWhiskMessages.Invoker(settings.invoker(), userMemoryMb, "faascell-" + kafka.nodeId());
    OpenWhiskInvoker handler = new OpenWhiskInvoker(new RecordSender(clients.producer("completions", 1 << 20), topic),
        settings.topicPrefix(),
        invoker, new OpenWhiskActions(node), node);
    handler.pings = new Heartbeats(handler.producer, settings.topicPrefix() + "health", topic,
        settings.pingInterval(), () -> CompletableFuture.completedFuture(OpenWhiskMessages.ping(invoker)));
    handler.source = new KafkaSource(topic, clients.groupMember(topic, kafka.sessionTimeout(), kafka.drainTimeout()),
        topic, kafka.maxInFlight(), kafka.drainTimeout(), handler, assigned -> { }).start();
    log.info("event=openwhisk-invoker-started invoker={} topic={} userMemoryMb={}", settings.invoker(), topic,
        userMemoryMb);
    return handler;
  }

  @Override
  public CompletionStage<?> handle(ConsumerRecord<String, byte[]> record) {
    ActivationMessage msg;
    try {
      msg = ActivationMessage.parse(record.value() == null ? new byte[0] : record.value());
    } catch (InvalidInputException e) {
      // like InvokerReactive: a message that does not parse cannot be acknowledged, only logged
      log.error("event=openwhisk-message-unreadable offset={} reason=\"{}\"", record.offset(), e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    long startedMillis = System.currentTimeMillis();
    Optional<FunctionSpec> function = actions.resolve(msg);
    if (function.isEmpty()) {
      return complete(msg, OpenWhiskMessages.Response.error(OpenWhiskMessages.APPLICATION_ERROR,
          "Action could not be found or may have been deleted."), fallbackRun(startedMillis, msg));
    }
    if (msg.hasLockedArgs()) {
      return complete(msg, OpenWhiskMessages.Response.error(OpenWhiskMessages.APPLICATION_ERROR,
          "FaaSCell does not decrypt locked (encrypted) parameters."), fallbackRun(startedMillis, msg));
    }
    FunctionSpec spec = function.get();
    Invocation invocation = Invocation.received(msg.activationId(), spec, OpenWhiskActions.payload(msg, spec),
        System.nanoTime());
    return node.submit(invocation).thenCompose(result -> complete(msg, OpenWhiskActions.response(result, spec),
        run(msg, spec, result)));
  }

  /** The times of an activation that ran: it ends now and lasted its init (if any) and run. */
  private static OpenWhiskMessages.Run run(ActivationMessage msg, FunctionSpec spec, InvocationResult result) {
    long end = System.currentTimeMillis();
    OptionalLong initTime = OpenWhiskActions.initTimeMs(result);
    long runMs = Math.round(result.timing().runNanos() / 1e6);
    long start = end - runMs - initTime.orElse(0);
    long since = msg.transactionStartMillis() > 0 ? msg.transactionStartMillis() : result.trace().receivedEpochMillis();
    List<String> logs = result instanceof InvocationResult.Completed done ? logLines(done.stderrTail(), end)
        : logLines(((InvocationResult.Failed) result).stderrTail(), end);
    return new OpenWhiskMessages.Run(OpenWhiskActions.kind(spec), spec.memoryMb(), spec.timeout().toMillis(), start,
        end, initTime, Math.max(0, start - since), logs);
  }

  /** An activation that did not run (generateFallbackActivation): zero duration, kind unknown. */
  private static OpenWhiskMessages.Run fallbackRun(long now, ActivationMessage msg) {
    return new OpenWhiskMessages.Run("unknown", 0, 0, now, now, OptionalLong.empty(),
        msg.transactionStartMillis() > 0 ? Math.max(0, now - msg.transactionStartMillis()) : 0, List.of());
  }

  /** OpenWhisk log lines are "{ISO time} {stream}: {text}"; the guest keeps the tail of stderr. */
  private static List<String> logLines(String stderrTail, long endMillis) {
    String stamp = Instant.ofEpochMilli(endMillis).toString();
    return stderrTail == null || stderrTail.isEmpty() ? List.of()
        : stderrTail.lines().map(line -> stamp + " stderr: " + line).toList();
  }

  /** Sends the activation's completion to completed{controller}; completes when Kafka has it. */
  private CompletionStage<Void> complete(ActivationMessage msg, OpenWhiskMessages.Response response,
                                         OpenWhiskMessages.Run run) {
    ObjectNode activation = OpenWhiskMessages.activation(msg, response, run);
    byte[] ack = msg.blocking() ? OpenWhiskMessages.combined(msg, activation, response.isWhiskError(), invoker)
        : OpenWhiskMessages.completion(msg, response.isWhiskError(), invoker);
    log.info("event=openwhisk-activation activation={} action={} statusCode={} blocking={}", msg.activationId(),
        msg.qualifiedName(), response.statusCode(), msg.blocking());
    return producer.send(topicPrefix + "completed" + msg.controller(), null, ack);
  }

  @Override
  public void close() {
    pings.close();
    source.close();
    producer.close();
  }
}
