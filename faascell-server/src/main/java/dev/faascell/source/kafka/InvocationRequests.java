package dev.faascell.source.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvalidInputException;
import dev.faascell.model.Invocation;
import dev.faascell.node.NodeApi;
import dev.faascell.sink.kafka.InvocationReply;
import dev.faascell.sink.kafka.KafkaSink;
import dev.faascell.source.http.ApiJson;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the invocation requests of the Kafka Source: each exactly once. A request whose invocation
 * id is already answered (on this node or any other) gets that answer again, one that is running
 * here gets its answer when it ends; only a new one goes to the Dispatcher. A request that cannot be
 * run (not JSON, too large, unknown function) is answered with the error the HTTP API would give.
 */
public final class InvocationRequests implements KafkaSource.RecordHandler {
  private static final Logger log = LoggerFactory.getLogger(InvocationRequests.class);

  private final String nodeId;
  private final Function<FunctionName, Optional<FunctionSpec>> functions;
  private final NodeApi node;
  private final KafkaSink sink;
  private final int maxPayloadBytes;
  private final ObjectMapper json = new ObjectMapper();
  private final ApiJson documents = new ApiJson(json);
  private final Map<String, CompletableFuture<InvocationReply>> running = new ConcurrentHashMap<>();

  /** @param maxPayloadBytes the largest payload run (faascell.api.max-payload-bytes, as for the HTTP API) */
  public InvocationRequests(String nodeId, Function<FunctionName, Optional<FunctionSpec>> functions,
                            NodeApi node, KafkaSink sink, int maxPayloadBytes) {
    this.nodeId = nodeId;
    this.functions = functions;
    this.node = node;
    this.sink = sink;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  @Override
  public CompletionStage<?> handle(ConsumerRecord<String, byte[]> record) {
    long received = System.nanoTime();
    InvocationRequest request;
    try {
      request = InvocationRequest.decode(record.key(), record.value() == null ? new byte[0] : record.value());
    } catch (InvalidInputException e) {
      return refuse(record, e.getMessage());
    }
    Optional<InvocationReply> recorded = sink.recorded(request.invocationId());
    if (recorded.isPresent()) {
      log.info("event=kafka-redelivery-answered-from-record invocation={} function={}", request.invocationId(),
          request.function());
      return sink.resend(request.replyTopic(), recorded.get());
    }
    CompletableFuture<InvocationReply> mine = new CompletableFuture<>();
    CompletableFuture<InvocationReply> earlier = running.putIfAbsent(request.invocationId(), mine);
    if (earlier != null) {
      return earlier.thenCompose(reply -> sink.resend(request.replyTopic(), reply));
    }
    run(request, received).whenComplete((reply, error) -> {
      running.remove(request.invocationId());
      if (error == null) {
        mine.complete(reply);
      } else {
        mine.completeExceptionally(error);
      }
    });
    return mine;
  }

  /** Runs a new invocation and records and sends its answer; completes with the answer once it is sent. */
  private CompletionStage<InvocationReply> run(InvocationRequest request, long receivedNanos) {
    byte[] payload = request.payload();
    if (payload.length > maxPayloadBytes) {
      return answer(request.replyTopic(), errorReply(request.invocationId(), 400, "bad-request", "the payload is "
          + payload.length + " bytes; the limit is " + maxPayloadBytes + " (faascell.api.max-payload-bytes)"));
    }
    Optional<FunctionSpec> function = functions.apply(request.function());
    if (function.isEmpty()) {
      return answer(request.replyTopic(), errorReply(request.invocationId(), 404, "not-found",
          "function " + request.function() + " is not deployed"));
    }
    try {
      NodeApi.checkPayload(function.get(), payload);   // the HTTP API's check, before anything is queued
    } catch (InvalidInputException e) {
      return answer(request.replyTopic(), errorReply(request.invocationId(), 400, "bad-request", e.getMessage()));
    }
    Invocation invocation = Invocation.received(request.invocationId(), function.get(), payload, receivedNanos);
    return node.submit(invocation).thenCompose(done -> answer(request.replyTopic(),
        new InvocationReply(request.invocationId(), nodeId, ApiJson.status(done), false,
            documents.invocation(done))));
  }

  private CompletionStage<InvocationReply> answer(String replyTopic, InvocationReply reply) {
    return sink.answer(replyTopic, reply).thenApply(ignored -> reply);
  }

  /** A record that is not a valid request: answered with 400 if it says where to, else only logged. */
  private CompletionStage<?> refuse(ConsumerRecord<String, byte[]> record, String reason) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    String replyTopic = InvocationRequest.replyTopicOf(value);
    String invocationId = InvocationRequest.invocationIdOf(value);
    log.warn("event=kafka-request-refused partition={} offset={} invocation={} reason=\"{}\"", record.partition(),
        record.offset(), invocationId, reason);
    if (replyTopic == null || invocationId == null) {
      return CompletableFuture.completedFuture(null);
    }
    return sink.answer(replyTopic, errorReply(invocationId, 400, "bad-request", reason));
  }

  private InvocationReply errorReply(String invocationId, int status, String kind, String message) {
    try {
      return new InvocationReply(invocationId, nodeId, status, false,
          json.writeValueAsBytes(documents.error(status, kind, message).put("invocationId", invocationId)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
