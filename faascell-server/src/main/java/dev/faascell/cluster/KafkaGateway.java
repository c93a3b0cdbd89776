package dev.faascell.cluster;

import dev.faascell.model.FunctionName;
import dev.faascell.sink.kafka.InvocationReply;
import dev.faascell.source.kafka.InvocationRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway half of a cluster node: an invocation that arrives over HTTP goes to the invocations
 * topic (keyed by function, so it reaches the node that has the function's partition), and its answer
 * comes back on this node's reply topic. Each invocation id is answered to its caller once; a second
 * answer (a request redelivered after a node died) finds no caller and is dropped.
 */
public final class KafkaGateway {
  private static final Logger log = LoggerFactory.getLogger(KafkaGateway.class);

  private final RecordSender sender;
  private final String invocationsTopic;
  private final String replyTopic;
  private final Duration timeout;
  private final Map<String, CompletableFuture<InvocationReply>> waiting = new ConcurrentHashMap<>();

  public KafkaGateway(RecordSender sender, String invocationsTopic, String replyTopic, Duration timeout) {
    this.sender = sender;
    this.invocationsTopic = invocationsTopic;
    this.replyTopic = replyTopic;
    this.timeout = timeout;
  }

  /** Sends the invocation to the cluster; completes with its answer, or a TimeoutException. */
  public CompletionStage<InvocationReply> invoke(String invocationId, FunctionName function, byte[] payload) {
    CompletableFuture<InvocationReply> answer = new CompletableFuture<>();
    waiting.put(invocationId, answer);
    byte[] request = new InvocationRequest(invocationId, function, payload, replyTopic).encode();
    sender.send(invocationsTopic, function.value(), request).whenComplete((sent, error) -> {
      if (error != null) {
        answer.completeExceptionally(error);
      }
    });
    return answer.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .whenComplete((reply, error) -> waiting.remove(invocationId));
  }

  /** A record of this node's reply topic. */
  public void onReply(ConsumerRecord<String, byte[]> record) {
    CompletableFuture<InvocationReply> caller = waiting.remove(record.key());
    if (caller == null) {
      log.debug("event=gateway-reply-without-caller invocation={}", record.key());
      return;
    }
    try {
      caller.complete(InvocationReply.decode(record.value()));
    } catch (IOException e) {
      caller.completeExceptionally(e);
    }
  }
}
