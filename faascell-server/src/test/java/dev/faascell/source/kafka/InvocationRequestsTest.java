package dev.faascell.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.cluster.RecordSender;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.RuntimeKind;
import dev.faascell.sink.kafka.KafkaSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Kafka front door against malformed requests, through the Source's own parsing path: every record
 * that says where to answer gets the error reply the HTTP API would give, one that does not (no reply
 * topic or invocation id to be found in it) is only logged; none throws out of {@link InvocationRequests#handle}
 * or leaves its answer failed, which would stall the partition's offset and have the record redelivered
 * forever. No record here reaches the node: each is refused before it is queued.
 */
class InvocationRequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PAYLOAD = 4096;
  private static final FunctionSpec HELLO = new FunctionSpec(FunctionName.of("hello"), RuntimeKind.PYTHON,
      "main.handle", CodeBundle.file("main.py", "def handle(e):\n    return e\n".getBytes(StandardCharsets.UTF_8)),
      128, 1, Duration.ofSeconds(30), Map.of());

  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  private final RecordSender sender = new RecordSender(producer, "test");
  private final InvocationRequests requests = new InvocationRequests("node-1",
      name -> name.equals(HELLO.name()) ? Optional.of(HELLO) : Optional.empty(), null,
      new KafkaSink(sender, "answered", 100), MAX_PAYLOAD);
  private long offset;
  private int requestsMade;

  @AfterEach
  void close() {
    sender.close();
  }

  /** A request record's value with {@code fields}, under an invocation id of its own (a repeated one is answered from the record). */
  private String request(String fields) {
    return "{\"invocationId\":\"inv-" + ++requestsMade + "\",\"replyTopic\":\"replies\"," + fields + "}";
  }

  /** Handles one record as the Source does and returns the replies it sent (to any topic but the answered one). */
  private List<JsonNode> handle(String key, byte[] value) throws Exception {
    int before = producer.history().size();
    var record = new ConsumerRecord<>("invocations", 0, offset++, key, value);
    requests.handle(record).toCompletableFuture().get(10, TimeUnit.SECONDS);   // neither throws nor fails
    return producer.history().subList(before, producer.history().size()).stream()
        .filter(sent -> !sent.topic().equals("answered")).map(ProducerRecord::value).map(InvocationRequestsTest::tree)
        .toList();
  }

  private static JsonNode tree(byte[] value) {
    try {
      return JSON.readTree(value);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private void assertRefused(String key, String value, int status, String kind, String why) throws Exception {
    List<JsonNode> replies = handle(key, value.getBytes(StandardCharsets.UTF_8));
    assertThat(replies).as(value).hasSize(1);
    JsonNode reply = replies.get(0);
    assertThat(reply.path("invocationId").asText()).isEqualTo("inv-" + requestsMade);
    assertThat(reply.path("answeredFrom").asText()).isEqualTo("run");
    assertThat(reply.path("status").asInt()).as(value).isEqualTo(status);
    assertThat(reply.path("invocation").path("error").path("kind").asText()).as(value).isEqualTo(kind);
    assertThat(reply.path("invocation").path("error").path("message").asText()).as(value).contains(why);
  }

  @Test
  void eachMalformedRequestThatSaysWhereToAnswerGetsAnErrorReply() throws Exception {
    assertRefused("hello", request("\"payload\":{}"), 400, "bad-request", "\"function\"");
    assertRefused("hello", request("\"function\":7"), 400, "bad-request", "\"function\"");
    assertRefused("hello", request("\"function\":\"Not A Name\""), 400, "bad-request", "invalid function name");
    assertRefused("other", request("\"function\":\"hello\""), 400, "bad-request", "record key");
    assertRefused("hello", request("\"function\":\"hello\",\"extra\":1"), 400, "bad-request", "unknown field 'extra'");
    assertRefused("hello", request("\"function\":\"hello\",\"payload\":1,\"payloadBase64\":\"AA==\""), 400,
        "bad-request", "not both");
    assertRefused("hello", request("\"function\":\"hello\",\"payloadBase64\":\"%%%\""), 400, "bad-request", "base64");
    assertRefused("hello", request("\"function\":\"hello\",\"payloadBase64\":\"bm90IGpzb24=\""), 400, "bad-request",
        "must be JSON");
    assertRefused("hello", request("\"function\":\"hello\",\"payload\":\"" + "x".repeat(MAX_PAYLOAD) + "\""), 400,
        "bad-request", "faascell.api.max-payload-bytes");
    assertRefused("ghost", request("\"function\":\"ghost\",\"payload\":{}"), 404, "not-found", "not deployed");
  }

  @Test
  void aRecordWithNowhereToAnswerIsOnlyLogged() throws Exception {
    for (String value : List.of("not json", "", "[]", "{\"invocationId\":\"inv-1\",\"replyTopic\":\"replies\"",
        "{\"invocationId\":\"a b\",\"replyTopic\":\"replies\",\"function\":\"hello\"}",
        "{\"invocationId\":\"inv-1\",\"replyTopic\":\"no/such topic\",\"function\":\"hello\"}")) {
      assertThat(handle("hello", value.getBytes(StandardCharsets.UTF_8))).as(value).isEmpty();
    }
    assertThat(handle("hello", null)).as("a tombstone").isEmpty();
  }

  @Test
  void fuzzedRecordsNeverThrowAndAreAnsweredWheneverTheySayWhere() throws Exception {
    SplittableRandom random = new SplittableRandom(18);
    for (int i = 0; i < 500; i++) {
      byte[] value = request("\"function\":\"ghost\",\"payload\":{\"a\":[1,2,{\"b\":null}]}")
          .getBytes(StandardCharsets.UTF_8);
      for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
        value[random.nextInt(value.length)] = (byte) random.nextInt(256);
      }
      boolean answerable = InvocationRequest.replyTopicOf(value) != null && InvocationRequest.invocationIdOf(value) != null;
      List<JsonNode> replies = handle("ghost", value);
      assertThat(replies).as(new String(value, StandardCharsets.ISO_8859_1)).hasSize(answerable ? 1 : 0);
      replies.forEach(reply -> assertThat(reply.path("status").asInt()).isBetween(400, 499));
    }
  }
}
