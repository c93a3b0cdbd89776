package dev.faascell.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.model.FunctionName;
import dev.faascell.server.Node;
import dev.faascell.testing.Http;
import dev.faascell.testing.TestKafka;
import dev.faascell.testing.TestNodes;
import dev.faascell.vmm.fake.FakeVmm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kafka Source and Sink's contract with a client that speaks Kafka itself, on a real broker and a
 * node over the in-memory VMM: answers on the client's reply topic, a repeated invocation id answered
 * from the record instead of run again, and bad requests answered with the API's errors.
 */
class DeliveryKafkaIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String REPLIES = "client.replies";
  private TestKafka kafka;
  private Path dir;
  private Node node;

  @BeforeEach
  void start() throws Exception {
    kafka = TestKafka.start();
    kafka.createTopic(REPLIES, 1);
    dir = TestNodes.tempDir("fc-kd-");
    node = Node.start(TestNodes.config(dir, Map.of("faascell.kafka.bootstrap", kafka.bootstrap(),
        "faascell.kafka.node-id", "solo")), new FakeVmm(dir.resolve("run"), 5),
        TestNodes.fakeImage(dir));
    new Http(node.url()).deploy("shout", "exec", "echo", "echo", "x", "");
  }

  @AfterEach
  void stop() throws Exception {
    node.close();
    kafka.close();
    TestNodes.delete(dir);
  }

  @Test
  void aRepeatedInvocationIdIsAnsweredFromTheRecordNotRunAgain() throws Exception {
    request("shout", "{\"invocationId\":\"inv-1\",\"function\":\"shout\",\"replyTopic\":\"" + REPLIES
        + "\",\"payloadBase64\":\"aGV5\"}");
    JsonNode first = replies(1).get(0);
    assertThat(first.path("status").asInt()).isEqualTo(200);
    assertThat(first.path("node").asText()).isEqualTo("solo");
    assertThat(first.path("answeredFrom").asText()).isEqualTo("run");
    assertThat(first.path("invocation").path("result").asText()).isEqualTo("hey");

    request("shout", "{\"invocationId\":\"inv-1\",\"function\":\"shout\",\"replyTopic\":\"" + REPLIES
        + "\",\"payloadBase64\":\"aGV5\"}");
    JsonNode again = replies(2).get(1);
    assertThat(again.path("answeredFrom").asText()).isEqualTo("record");
    assertThat(again.path("invocation")).isEqualTo(first.path("invocation"));
    assertThat(new Http(node.url()).get("/v1/invocations?function=shout").json().path("invocations").size())
        .as("runs of shout").isEqualTo(1);
    assertThat(kafka.readUntil("faascell.answered", read -> !read.isEmpty(), WAIT)).hasSize(1);
  }

  @Test
  void badRequestsAreAnsweredWithTheApisErrors() throws Exception {
    request("not-shout", "{\"invocationId\":\"bad-key\",\"function\":\"shout\",\"replyTopic\":\"" + REPLIES + "\"}");
    request("ghost", "{\"invocationId\":\"no-such\",\"function\":\"ghost\",\"replyTopic\":\"" + REPLIES + "\"}");
    List<JsonNode> answers = replies(2);
    assertThat(answers).anySatisfy(answer -> {
      assertThat(answer.path("invocationId").asText()).isEqualTo("bad-key");
      assertThat(answer.path("status").asInt()).isEqualTo(400);
      assertThat(answer.path("invocation").path("error").path("message").asText()).contains("record key");
    });
    assertThat(answers).anySatisfy(answer -> {
      assertThat(answer.path("invocationId").asText()).isEqualTo("no-such");
      assertThat(answer.path("status").asInt()).isEqualTo(404);
    });
  }

  @Test
  void theHttpApiIsAGatewayAndShowsTheCluster() {
    Http http = new Http(node.url());
    Http.Reply reply = http.invoke("shout", "through kafka");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().path("result").asText()).isEqualTo("through kafka");
    dev.faascell.testing.Await.until(() -> http.get("/v1/status").json().path("cluster").path("aliveNodes").asInt() == 1,
        WAIT, "the node's own heartbeat");
    JsonNode cluster = http.get("/v1/status").json().path("cluster");
    assertThat(cluster.path("node").asText()).isEqualTo("solo");
    assertThat(cluster.path("nodes").get(0).path("startSlots").asInt()).isPositive();
    assertThat(cluster.path("nodes").get(0).path("memoryCapacityMb").asLong()).isPositive();
    assertThat(node.registry().get(FunctionName.of("shout"))).isPresent();
  }

  private void request(String key, String value) throws Exception {
    kafka.send("faascell.invocations", key, value.getBytes(StandardCharsets.UTF_8));
  }

  private List<JsonNode> replies(int count) {
    return kafka.readUntil(REPLIES, read -> read.size() >= count, WAIT).stream().map(DeliveryKafkaIT::json).toList();
  }

  private static JsonNode json(ConsumerRecord<String, byte[]> record) {
    try {
      return JSON.readTree(record.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
