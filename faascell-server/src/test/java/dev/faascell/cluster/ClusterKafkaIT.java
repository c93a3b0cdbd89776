package dev.faascell.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.testing.Await;
import dev.faascell.testing.DaemonProcesses;
import dev.faascell.testing.Http;
import dev.faascell.testing.TestKafka;
import dev.faascell.testing.TestNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two FaaSCell daemons (separate processes and state dirs, real VMs) in one cluster on a real Kafka.
 * Functions deployed on one are known to both; each function's invocations run on the node that has
 * its partition, whichever node's HTTP API they arrive on; and when one daemon is killed with -9 in
 * the middle of running invocations, the other takes its partitions over and every invocation is
 * answered, each run to an answer exactly once.
 */
class ClusterKafkaIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final int PARTITIONS = 12;
  private TestKafka kafka;
  private Path dirA;
  private Path dirB;
  private DaemonProcesses daemonsA;
  private DaemonProcesses daemonsB;

  @BeforeEach
  void start() throws Exception {
    kafka = TestKafka.start();
    dirA = TestNodes.tempDir("fc-ka-");
    dirB = TestNodes.tempDir("fc-kb-");
  }

  /** The daemons stop while Kafka is still there to hand their partitions to, then Kafka stops. */
  @AfterEach
  void cleanUp() throws Exception {
    for (DaemonProcesses daemons : new DaemonProcesses[] {daemonsA, daemonsB}) {
      if (daemons != null) {
        daemons.stopAll();
      }
    }
    kafka.close();
    TestNodes.delete(dirA);
    TestNodes.delete(dirB);
  }

  @Test
  void workIsSpreadByFunctionAndSurvivesADaemonKilledMidRun() throws Exception {
    try {
      spreadAndHandover(kafka);
    } catch (Throwable failure) {
      for (DaemonProcesses daemons : new DaemonProcesses[] {daemonsA, daemonsB}) {
        if (daemons != null) {
          System.err.println(daemons.log());   // the daemons' logs go with their directories
        }
      }
      throw failure;
    }
  }

  private void spreadAndHandover(TestKafka kafka) throws Exception {
    daemonsA = new DaemonProcesses(dirA, clusterConfig(kafka, "a"));
    daemonsB = new DaemonProcesses(dirB, clusterConfig(kafka, "b"));
    DaemonProcesses.Daemon a = daemonsA.start();
    Http httpA = new Http(a.url());
    Http httpB = new Http(daemonsB.start().url());

    // both nodes see each other's heartbeats
    Await.until(() -> aliveNodes(httpA).containsAll(Set.of("a", "b")) && aliveNodes(httpB).containsAll(Set.of("a", "b")),
        WAIT, "both nodes in both nodes' /v1/status");

    // a function on each node's partitions, deployed on a only: b learns them from the functions topic
    Map<String, Set<Integer>> partitionsByNode = assignment(kafka);
    List<String> onA = functionsOn(partitionsByNode.get("a"), 1, Set.of());
    List<String> onB = functionsOn(partitionsByNode.get("b"), 1, Set.copyOf(onA));
    List<String> functions = new ArrayList<>(onA);
    functions.addAll(onB);
    for (String function : functions) {
      Http.Reply deployed = httpA.deploy(function, "python", "main.handle", "main.py", "import time\n"
          + "def handle(event):\n    time.sleep(event.get('s', 0))\n    return {'function': '" + function
          + "', 'i': event['i']}\n", "\"timeoutMs\":60000");
      assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
    }
    Await.until(() -> httpB.get("/v1/functions").json().path("functions").findValuesAsText("name")
        .containsAll(functions), WAIT, "b to learn a's functions");

    // each function runs where its partition is, wherever the call arrives (one cold boot at a time)
    List<String> invocationIds = new ArrayList<>();
    int i = 0;
    for (String function : functions) {
      for (Http http : List.of(httpA, httpB)) {
        invocationIds.add(expectAnswer(http.invoke(function, "{\"i\":" + i + "}"), function, i));
        i++;
      }
    }
    Map<String, String> nodeByFunction = new HashMap<>();
    for (JsonNode answer : answered(kafka, invocationIds.size()).values()) {
      String function = answer.path("invocation").path("function").asText();
      String node = answer.path("node").asText();
      assertThat(nodeByFunction.putIfAbsent(function, node)).as(function + " ran on one node").isIn(null, node);
    }
    onA.forEach(function -> assertThat(nodeByFunction).containsEntry(function, "a"));
    onB.forEach(function -> assertThat(nodeByFunction).containsEntry(function, "b"));

    // calls through b's gateway, a killed while it runs its share; every call is answered
    List<CompletableFuture<Http.Reply>> calls = new ArrayList<>();
    List<String> calledFunctions = new ArrayList<>();
    List<Integer> calledIndexes = new ArrayList<>();
    for (String function : functions) {
      for (int n = 0; n < 3; n++) {
        int index = i++;
        calledFunctions.add(function);
        calledIndexes.add(index);
        calls.add(CompletableFuture.supplyAsync(() -> httpB.invoke(function, "{\"i\":" + index + ",\"s\":3}")));
      }
    }
    Await.until(() -> httpA.get("/v1/status").json().path("vms").findValuesAsText("state").contains("busy"), WAIT,
        "a to be running invocations");
    a.process().destroyForcibly().waitFor();   // kill -9: a commits nothing more and says goodbye to no one
    for (int n = 0; n < calls.size(); n++) {
      invocationIds.add(expectAnswer(calls.get(n).get(WAIT.toSeconds(), TimeUnit.SECONDS), calledFunctions.get(n),
          calledIndexes.get(n)));
    }

    // every invocation was run to an answer once: one record per invocation id on the answered topic
    Map<String, JsonNode> answers = answered(kafka, invocationIds.size());
    assertThat(answers.keySet()).containsExactlyInAnyOrderElementsOf(invocationIds);
    // a's functions moved to b
    List<String> movedAnswers = invocationIds.subList(invocationIds.size() - calls.size(), invocationIds.size())
        .stream().filter(id -> onA.contains(answers.get(id).path("invocation").path("function").asText()))
        .filter(id -> answers.get(id).path("node").asText().equals("b")).toList();
    assertThat(movedAnswers).isNotEmpty();
    Await.until(() -> !aliveNodes(httpB).contains("a"), WAIT, "b to see a gone");
  }

  private static String[] clusterConfig(TestKafka kafka, String nodeId) {
    return new String[] {
        "faascell.kafka.bootstrap = \"" + kafka.bootstrap() + "\"",
        "faascell.kafka.node-id = \"" + nodeId + "\"",
        "faascell.kafka.partitions = " + PARTITIONS,
        "faascell.samples.deploy = off"};
  }

  private static String expectAnswer(Http.Reply reply, String function, int index) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().path("result").path("function").asText()).isEqualTo(function);
    assertThat(reply.json().path("result").path("i").asInt()).isEqualTo(index);
    return reply.json().path("invocationId").asText();
  }

  private static Set<String> aliveNodes(Http http) {
    Set<String> alive = new HashSet<>();
    http.get("/v1/status").json().path("cluster").path("nodes").forEach(node -> {
      if (node.path("alive").asBoolean()) {
        alive.add(node.path("node").asText());
      }
    });
    return alive;
  }

  /** The invocations topic's partitions of each node, once the group has given out all of them. */
  private static Map<String, Set<Integer>> assignment(TestKafka kafka) {
    Map<String, Set<Integer>> byNode = new HashMap<>();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
      Await.until(() -> {
        byNode.clear();
        try {
          ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("faascell")).all().get()
              .get("faascell");
          for (MemberDescription member : group.members()) {
            String node = member.clientId().startsWith("faascell-a-") ? "a" : "b";
            member.assignment().topicPartitions().stream().map(TopicPartition::partition)
                .forEach(p -> byNode.computeIfAbsent(node, n -> new HashSet<>()).add(p));
          }
        } catch (Exception e) {
          return false;
        }
        return byNode.size() == 2 && byNode.values().stream().mapToInt(Set::size).sum() == PARTITIONS;
      }, WAIT, "the group to give each node its partitions");
    }
    return byNode;
  }

  /** {@code count} function names whose records go to {@code partitions} (Kafka's keyed partitioning). */
  private static List<String> functionsOn(Set<Integer> partitions, int count, Set<String> taken) {
    List<String> names = new ArrayList<>();
    for (int n = 0; names.size() < count; n++) {
      String name = "fn-" + n;
      int partition = Utils.toPositive(Utils.murmur2(name.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
      if (partitions.contains(partition) && !taken.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  /** The answered topic's records by invocation id, once there are {@code count} of them; fails on a second one. */
  private static Map<String, JsonNode> answered(TestKafka kafka, int count) {
    Map<String, JsonNode> byId = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : kafka.readUntil("faascell.answered", read -> read.size() >= count,
        WAIT)) {
      try {
        JsonNode answer = JSON.readTree(record.value());
        assertThat(byId.put(record.key(), answer)).as("a second answer to " + record.key()).isNull();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return byId;
  }
}
