package dev.faascell.openwhisk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.server.Node;
import dev.faascell.testing.Http;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.TestKafka;
import dev.faascell.testing.TestNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A FaaSCell node as OpenWhisk's invoker0 on a real Kafka, on real VMs. The test plays the controller:
 * it writes ActivationMessages as OpenWhisk's Message.scala serialises them to invoker0 and reads what
 * the invoker sends to completed0 and health.
 */
class InvokerOpenWhiskIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofMinutes(2);
  private Path dir;

  @BeforeEach
  void makeDir() throws Exception {
    dir = TestNodes.tempDir("fc-ow-");
  }

  @AfterEach
  void removeDir() throws Exception {
    TestNodes.delete(dir);
  }

  @Test
  void aControllerRunsActionsOnAFaascellInvokerAndSeesItHealthy() throws Exception {
    try (TestKafka kafka = TestKafka.start()) {
      kafka.createTopic("completed0", 1);   // the controller's topic: the controller creates it
      try (Node node = RealNodes.start(dir, Map.of("faascell.kafka.bootstrap", kafka.bootstrap(),
          "faascell.kafka.openwhisk.invoker", 0, "faascell.kafka.node-id", "ow-it"))) {
        Http http = new Http(node.url());
        deployAction(http, "greet", "guest/demo/hello", "import os\n"
            + "def main(params):\n"
            + "    return {'greeting': 'Hello, ' + params['name'] + '!', 'greetingWord': os.environ.get('GREETING'),\n"
            + "            'activation': os.environ['__OW_ACTIVATION_ID'], 'action': os.environ['__OW_ACTION_NAME']}\n");
        deployAction(http, "refuse", "guest/refuse", "def main(params):\n    return {'error': 'not today'}\n");

        // the invoker pings health every second, as invoker0
        List<ConsumerRecord<String, byte[]>> pings = kafka.readUntil("health", read -> read.size() >= 2, WAIT);
        JsonNode ping = json(pings.get(0));
        assertThat(ping.path("name").path("instance").asInt()).isZero();
        assertThat(ping.path("name").path("instanceType").asText()).isEqualTo("invoker");
        assertThat(ping.path("name").path("userMemory").asText()).endsWith(" MB");
        assertThat(pings.get(1).timestamp() - pings.get(0).timestamp()).isBetween(500L, 2500L);

        // the controller's health test action (non-blocking, no content), then the actions; one cold boot at a
        // time, since the machine's two cores also run the broker
        send(kafka, "health-1", false, "whisk.system", "invokerHealthTestAction0", null);
        Map<String, JsonNode> acks = completions(kafka, Set.of("health-1"));
        send(kafka, "cold-1", true, "guest/demo", "hello", "{\"name\":\"FaaSCell\",\"GREETING\":\"hi\"}");
        send(kafka, "none-1", true, "guest", "nowhere", "{}");
        acks.putAll(completions(kafka, Set.of("cold-1", "none-1")));
        send(kafka, "fail-1", true, "guest", "refuse", "{}");
        acks.putAll(completions(kafka, Set.of("fail-1")));
        send(kafka, "warm-1", true, "guest/demo", "hello", "{\"name\":\"again\"}");
        send(kafka, "echo-1", true, "whisk.system", "invokerHealthTestAction0", "{\"probe\":7}");
        acks.putAll(completions(kafka, Set.of("warm-1", "echo-1")));   // both VMs are running by now

        JsonNode health = acks.get("health-1");   // CompletionMessage: no result for a non-blocking activation
        assertThat(health.properties()).extracting(Map.Entry::getKey)
            .containsExactly("transid", "activationId", "isSystemError", "instance");
        assertThat(health.path("transid").toString()).isEqualTo("[\"tid-health-1\",1700000000000]");
        assertThat(health.path("isSystemError").asBoolean()).isFalse();
        assertThat(health.path("instance").path("instance").asInt()).isZero();
        assertThat(acks.get("echo-1").path("response").path("response").path("result").path("probe").asInt())
            .isEqualTo(7);

        JsonNode cold = acks.get("cold-1").path("response");   // CombinedCompletionAndResultMessage
        assertThat(acks.get("cold-1").path("transid").toString()).isEqualTo("[\"tid-cold-1\",1700000000000]");
        assertThat(acks.get("cold-1").path("isSystemError").asBoolean()).isFalse();
        assertThat(cold.path("activationId").asText()).isEqualTo("cold-1");
        assertThat(cold.path("namespace").asText()).isEqualTo("guest");
        assertThat(cold.path("name").asText()).isEqualTo("hello");
        assertThat(cold.path("response").path("statusCode").asInt()).isZero();
        JsonNode result = cold.path("response").path("result");
        assertThat(result.path("greeting").asText()).isEqualTo("Hello, FaaSCell!");
        assertThat(result.path("greetingWord").asText()).isEqualTo("hi");   // an init arg: exported, not passed
        assertThat(result.path("activation").asText()).isEqualTo("cold-1");
        assertThat(result.path("action").asText()).isEqualTo("/guest/demo/hello");
        assertThat(cold.path("end").asLong() - cold.path("start").asLong()).isEqualTo(cold.path("duration").asLong());
        Map<String, JsonNode> coldAnnotations = annotations(cold);
        assertThat(coldAnnotations.keySet()).contains("limits", "path", "kind", "waitTime", "initTime");
        assertThat(coldAnnotations.get("path").asText()).isEqualTo("guest/demo/hello");
        assertThat(coldAnnotations.get("kind").asText()).isEqualTo("python:3");
        assertThat(coldAnnotations.get("initTime").asLong()).isPositive();

        JsonNode warm = acks.get("warm-1").path("response");
        assertThat(warm.path("response").path("result").path("greeting").asText()).isEqualTo("Hello, again!");
        assertThat(annotations(warm)).doesNotContainKey("initTime");   // its VM was running already

        JsonNode refused = acks.get("fail-1").path("response").path("response");
        assertThat(refused.path("statusCode").asInt()).isEqualTo(1);   // {"error": ...}: an application error
        assertThat(refused.path("result").path("error").asText()).isEqualTo("not today");
        assertThat(acks.get("none-1").path("response").path("response").path("statusCode").asInt()).isEqualTo(1);
      }
    }
  }

  private static void deployAction(Http http, String function, String openWhiskName, String code) {
    Http.Reply reply = http.deploy(function, "python", "main.main", "main.py", code,
        "\"env\":{\"" + OpenWhiskActions.NAME_ENV + "\":\"" + openWhiskName + "\"}");
    assertThat(reply.status()).as(reply.body()).isIn(200, 201);
  }

  private static void send(TestKafka kafka, String activationId, boolean blocking, String path, String name,
                           String content) throws Exception {
    String message = OpenWhiskMessagesTest.activationMessage(activationId, blocking, path, name, content)
        .replace("sid_42", "tid-" + activationId);
    kafka.send("invoker0", null, message.getBytes(StandardCharsets.UTF_8));
  }

  /** The completions of {@code activationIds}, by activation id. */
  private static Map<String, JsonNode> completions(TestKafka kafka, Set<String> activationIds) {
    Map<String, JsonNode> found = new HashMap<>();
    kafka.readUntil("completed0", read -> {
      for (ConsumerRecord<String, byte[]> record : read) {
        JsonNode ack = json(record);
        String id = ack.has("activationId") ? ack.get("activationId").asText()
            : ack.path("response").path("activationId").asText();
        if (activationIds.contains(id)) {
          found.put(id, ack);
        }
      }
      return found.keySet().containsAll(activationIds);
    }, WAIT);
    return found;
  }

  private static Map<String, JsonNode> annotations(JsonNode activation) {
    Map<String, JsonNode> byKey = new HashMap<>();
    activation.path("annotations").forEach(a -> byKey.put(a.path("key").asText(), a.path("value")));
    return byKey;
  }

  private static JsonNode json(ConsumerRecord<String, byte[]> record) {
    try {
      return JSON.readTree(record.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
