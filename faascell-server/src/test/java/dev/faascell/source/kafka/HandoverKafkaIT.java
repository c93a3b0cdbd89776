package dev.faascell.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.guest.image.GuestImage;
import dev.faascell.server.Node;
import dev.faascell.testing.Await;
import dev.faascell.testing.Http;
import dev.faascell.testing.TestKafka;
import dev.faascell.testing.TestNodes;
import dev.faascell.vmm.fake.FakeVmm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node that leaves the cluster (closed, as on SIGTERM) with invocations running: it answers them
 * before it hands its partitions over, and the other node answers what comes next. Two in-process
 * nodes over the in-memory VMM, a real broker.
 */
class HandoverKafkaIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String REPLIES = "client.replies";
  private TestKafka kafka;
  private final Map<String, Path> dirs = new HashMap<>();
  private final Map<String, Node> nodes = new HashMap<>();

  @BeforeEach
  void start() throws Exception {
    kafka = TestKafka.start();
    kafka.createTopic(REPLIES, 1);
    for (String id : List.of("a", "b")) {
      Path nodeDir = TestNodes.tempDir("fc-kh-" + id + "-");
      dirs.put(id, nodeDir);
      Path none = nodeDir.resolve("none");
      nodes.put(id, Node.start(TestNodes.config(nodeDir, Map.of("faascell.kafka.bootstrap", kafka.bootstrap(),
          "faascell.kafka.node-id", id)), new FakeVmm(nodeDir.resolve("run"), 5),
          new GuestImage("fake", nodeDir, none, none, none, "fake")));
    }
  }

  @AfterEach
  void stop() throws Exception {
    nodes.values().forEach(Node::close);
    kafka.close();
    for (Path nodeDir : dirs.values()) {
      TestNodes.delete(nodeDir);
    }
  }

  @Test
  void aLeavingNodeAnswersWhatItRunsAndItsPartitionsMove() throws Exception {
    new Http(nodes.get("a").url()).deploy("napper", "exec", "sleep", "sleep", "x", "");
    Await.until(() -> nodes.get("b").registry().list().stream().anyMatch(f -> f.spec().name().value().equals("napper")),
        WAIT, "b to learn napper");
    request("first", "10");
    String owner = replies(1).get(0).path("node").asText();
    String other = owner.equals("a") ? "b" : "a";

    List<String> running = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      running.add("running-" + i);
      request("running-" + i, "1500");
    }
    Await.until(() -> new Http(nodes.get(owner).url()).get("/v1/status").json().path("vms").findValuesAsText("state")
        .contains("busy"), WAIT, "the owner to run napper");
    nodes.remove(owner).close();   // drains: answers what it runs, commits, leaves the group

    request("after", "10");
    // one answer from a run per invocation; a request redelivered before its offset was committed (a
    // commit can be refused in the middle of the rebalance) is answered again, from the record
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode reply : replies(6)) {
      if (reply.path("answeredFrom").asText().equals("run")) {
        assertThat(byId.put(reply.path("invocationId").asText(), reply)).as("a second run").isNull();
      }
    }
    assertThat(byId).hasSize(6);
    running.forEach(id -> {
      assertThat(byId.get(id).path("status").asInt()).isEqualTo(200);
      assertThat(byId.get(id).path("node").asText()).as(id).isEqualTo(owner);
    });
    assertThat(byId.get("after").path("node").asText()).isEqualTo(other);
    assertThat(kafka.readUntil("faascell.answered", read -> read.size() >= 6, WAIT)).hasSize(6);
  }

  private void request(String invocationId, String millis) throws Exception {
    kafka.send("faascell.invocations", "napper", ("{\"invocationId\":\"" + invocationId + "\",\"function\":\"napper\","
        + "\"replyTopic\":\"" + REPLIES + "\",\"payloadBase64\":\""
        + java.util.Base64.getEncoder().encodeToString(millis.getBytes(StandardCharsets.UTF_8)) + "\"}")
        .getBytes(StandardCharsets.UTF_8));
  }

  /** The replies, once {@code runs} of them are answers from a run. */
  private List<JsonNode> replies(int runs) {
    return kafka.readUntil(REPLIES, read -> read.stream().map(HandoverKafkaIT::json)
        .filter(reply -> reply.path("answeredFrom").asText().equals("run")).count() >= runs, WAIT)
        .stream().map(HandoverKafkaIT::json).toList();
  }

  private static JsonNode json(ConsumerRecord<String, byte[]> record) {
    try {
      return JSON.readTree(record.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
