package dev.faascell.sink.kafka;

import dev.faascell.cluster.RecordSender;
import dev.faascell.cluster.TopicTail;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Sink: writes each answer to the answered topic, then to the request's reply topic. The
 * order is what makes a redelivery safe: once any reply is visible, its answered record exists, so a
 * request redelivered after its node died is answered from that record (by whichever node has the
 * partition now) and not run again. The Sink reads the answered topic back from every node
 * ({@link #onAnsweredRecord}) into a bounded memory of answers.
 */
public final class KafkaSink {
  private static final Logger log = LoggerFactory.getLogger(KafkaSink.class);

  private final RecordSender sender;
  private final String answeredTopic;
  private final Map<String, InvocationReply> answered;

  /** @param remember how many answers to keep for redeliveries (oldest forgotten first) */
  public KafkaSink(RecordSender sender, String answeredTopic, int remember) {
    this.sender = sender;
    this.answeredTopic = answeredTopic;
    this.answered = java.util.Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, InvocationReply> eldest) {
        return size() > remember;
      }
    });
  }

  /** Records and sends an answer; completes when both writes are acknowledged. */
  public CompletableFuture<Void> answer(String replyTopic, InvocationReply reply) {
    return send(answeredTopic, reply).thenCompose(ignored -> {
      answered.put(reply.invocationId(), reply);
      return send(replyTopic, reply);
    });
  }

  /** Sends an answer again without recording it: for a request whose answer is already on record. */
  public CompletableFuture<Void> resend(String replyTopic, InvocationReply reply) {
    return send(replyTopic, reply.againFromRecord());
  }

  /** The answer on record for {@code invocationId}, from this node or any other. */
  public Optional<InvocationReply> recorded(String invocationId) {
    return Optional.ofNullable(answered.get(invocationId));
  }

  /** A record of the answered topic, read back by a {@link TopicTail}. */
  public void onAnsweredRecord(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    try {
      answered.put(record.key(), InvocationReply.decode(record.value()));
    } catch (IOException e) {
      log.warn("event=answered-record-unreadable offset={} reason=\"{}\"", record.offset(), e.getMessage());
    }
  }

  private CompletableFuture<Void> send(String topic, InvocationReply reply) {
    return sender.send(topic, reply.invocationId(), reply.encode());
  }
}
