package dev.faascell.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.faascell.server.Node;
import dev.faascell.testing.Await;
import dev.faascell.testing.Http;
import dev.faascell.testing.TestNodes;
import dev.faascell.vmm.fake.FakeVmm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API's contract (docs/API.md) and its answers to bad input, on a whole node whose VMM is the
 * in-memory double; the same paths on real VMs are in the *IT tests.
 */
class HttpApiTest {
  private Path dir;
  private FakeVmm vmm;
  private Node node;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    dir = TestNodes.tempDir("fc-api-");
    startNode(Map.of());
  }

  private void startNode(Map<String, ?> overrides) throws Exception {
    vmm = new FakeVmm(dir.resolve("run"), 10);
    node = Node.start(TestNodes.config(dir, overrides), vmm, TestNodes.fakeImage(dir));
    http = new Http(node.url());
  }

  @AfterEach
  void stop() throws Exception {
    node.close();
    TestNodes.delete(dir);
  }

  private void deployExec(String name, String handler) {
    assertThat(http.deploy(name, "exec", handler, handler, "#!/bin/sh\n", "\"timeoutMs\":500").status()).isIn(200, 201);
  }

  @Test
  void samplesAreDeployedOnAFreshNode() {
    var reply = http.get("/v1/functions");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("functions").findValuesAsText("name")).contains("hello", "echo");
  }

  @Test
  void deployGetListAndDelete() {
    var created = http.deploy("greeter", "python", "main.handle", "main.py", "def handle(e): return e", "\"env\":{\"A\":\"1\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("outcome").asText()).isEqualTo("created");
    assertThat(created.json().path("memoryMb").asInt()).isEqualTo(128);
    assertThat(created.json().path("env").path("A").asText()).isEqualTo("1");

    var again = http.deploy("greeter", "python", "main.handle", "main.py", "def handle(e): return e", "\"env\":{\"A\":\"1\"}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("outcome").asText()).isEqualTo("unchanged");
    assertThat(again.json().path("version").asText()).isEqualTo(created.json().path("version").asText());

    var changed = http.deploy("greeter", "python", "main.handle", "main.py", "def handle(e): return 1", "");
    assertThat(changed.json().path("outcome").asText()).isEqualTo("updated");
    assertThat(changed.json().path("version").asText()).isNotEqualTo(created.json().path("version").asText());

    assertThat(http.get("/v1/functions/greeter").json().path("code").path("file").asText()).isEqualTo("main.py");
    assertThat(http.send("DELETE", "/v1/functions/greeter", (byte[]) null).status()).isEqualTo(204);
    assertThat(http.get("/v1/functions/greeter").status()).isEqualTo(404);
    assertThat(http.send("DELETE", "/v1/functions/greeter", (byte[]) null).status()).isEqualTo(404);
  }

  @Test
  void aZipDeploys() throws Exception {
    var zip = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.ZipOutputStream(zip)) {
      out.putNextEntry(new java.util.zip.ZipEntry("main.py"));
      out.write("def handle(e): return e".getBytes());
      out.closeEntry();
    }
    String body = "{\"runtime\":\"python\",\"code\":{\"zipBase64\":\"" + Base64.getEncoder().encodeToString(zip.toByteArray()) + "\"}}";
    var reply = http.send("PUT", "/v1/functions/zipped", body);
    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.json().path("code").path("format").asText()).isEqualTo("zip");
  }

  @Test
  void invokeReportsStartKindAndTiming() {
    deployExec("echoer", "echo");
    var cold = http.invoke("echoer", "{\"n\":1}");
    var warm = http.invoke("echoer", "plain text");
    assertThat(cold.status()).isEqualTo(200);
    assertThat(cold.json().path("result").path("n").asInt()).isEqualTo(1);
    assertThat(cold.json().path("startKind").asText()).isEqualTo("cold");
    for (String field : List.of("queueMs", "acquireMs", "bootMs", "initMs", "execMs", "totalMs", "runMs")) {
      assertThat(cold.json().has(field)).as(field).isTrue();
    }
    assertThat(cold.json().path("bootMs").asDouble()).isPositive();
    assertThat(warm.json().path("startKind").asText()).isEqualTo("warm");
    assertThat(warm.json().path("result").asText()).isEqualTo("plain text");
    assertThat(warm.json().path("vmId").asText()).isEqualTo(cold.json().path("vmId").asText());
  }

  @Test
  void unknownFunctionIs404() {
    var reply = http.invoke("nobody", "{}");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().path("error").path("message").asText()).contains("nobody");
  }

  @Test
  void badNamesAre400() {
    for (String name : List.of("UPPER", "under_score", "a".repeat(64), "dot.dot", "sp%20ace", "%00")) {
      var reply = http.deploy(name, "python", "main.handle", "main.py", "x", "");
      assertThat(reply.status()).as(name).isEqualTo(400);
      assertThat(reply.json().path("error").path("message").asText()).as(name).contains("invalid function name");
    }
    assertThat(http.invoke("Bad_Name", "{}").status()).isEqualTo(400);
    // a name that normalises to a parent path never reaches a function
    assertThat(http.deploy("%2e%2e", "python", "main.handle", "main.py", "x", "").status()).isEqualTo(404);
  }

  @Test
  void malformedSpecsAre400WithAMessageNamingTheProblem() {
    Map<String, String> cases = Map.of(
        "{not json", "not valid JSON",
        "[1,2]", "must be a JSON object",
        "{\"runtime\":\"cobol\",\"code\":{\"text\":\"x\"}}", "unknown runtime",
        "{\"runtime\":\"python\"}", "code is required",
        "{\"runtime\":\"python\",\"code\":{\"text\":\"x\"},\"memoryMb\":\"lots\"}", "memoryMb must be an integer",
        "{\"runtime\":\"python\",\"code\":{\"text\":\"x\"},\"memoryMb\":100000}", "memoryMb must be between",
        "{\"runtime\":\"python\",\"code\":{\"text\":\"x\"},\"color\":\"red\"}", "unknown field 'color'",
        "{\"runtime\":\"python\",\"code\":{\"base64\":\"***\"}}", "not valid base64",
        "{\"runtime\":\"python\",\"handler\":\"no-dots\",\"code\":{\"text\":\"x\"}}", "invalid python handler",
        "{\"runtime\":\"exec\",\"handler\":\"../etc/passwd\",\"code\":{\"text\":\"x\"}}", "invalid exec handler");
    cases.forEach((body, message) -> {
      var reply = http.send("PUT", "/v1/functions/f", body);
      assertThat(reply.status()).as(body).isEqualTo(400);
      assertThat(reply.json().path("error").path("message").asText()).as(body).contains(message);
    });
  }

  @Test
  void badNetworkSpecsAre400AtDeployWithTheReason() {
    String code = "\"runtime\":\"python\",\"code\":{\"text\":\"x\"}";
    Map<String, String> cases = Map.of(
        "\"network\":\"egress\"", "network must be an object",
        "\"network\":{\"mode\":\"wifi\"}", "unknown network mode 'wifi'",
        "\"network\":{\"mode\":\"egress\",\"allow\":\"10.0.0.0/8\"}", "network.allow must be an array",
        "\"network\":{\"mode\":\"egress\",\"allow\":[\"example.com:443\"]}", "is not CIDR[:PORT]",
        "\"network\":{\"mode\":\"egress\",\"allow\":[\"10.1.2.0/24:0\"]}", "ports are 1 to 65535",
        "\"network\":{\"mode\":\"egress\",\"allow\":[\"10.1.2.3/24\"]}", "host bits set",
        "\"network\":{\"mode\":\"none\",\"allow\":[\"10.1.2.0/24\"]}", "need network mode egress",
        "\"network\":{\"mode\":\"egress\",\"bandwidthMbit\":-5}", "bandwidthMbit",
        "\"network\":{\"mode\":\"egress\",\"ports\":[80]}", "unknown field 'network.ports'");
    cases.forEach((field, message) -> {
      var reply = http.send("PUT", "/v1/functions/f", "{" + code + "," + field + "}");
      assertThat(reply.status()).as(field).isEqualTo(400);
      assertThat(reply.json().path("error").path("message").asText()).as(field).contains(message);
    });
    assertThat(http.get("/v1/functions/f").status()).isEqualTo(404);
  }

  @Test
  void aFunctionsNetworkIsShownPartOfItsVersionAndSurvivesARestart() throws Exception {
    var plain = http.deploy("fetcher", "python", "main.handle", "main.py", "def handle(e): return e", "");
    assertThat(http.get("/v1/functions/fetcher").json().path("network").toString()).isEqualTo("{\"mode\":\"none\"}");
    String network = "\"network\":{\"mode\":\"egress\",\"allow\":[\"10.1.2.0/24:443\",\"10.9.9.9/32\"],\"bandwidthMbit\":50}";
    var egress = http.deploy("fetcher", "python", "main.handle", "main.py", "def handle(e): return e", network);
    assertThat(egress.status()).as(egress.body()).isEqualTo(200);
    String expected = "{\"mode\":\"egress\",\"allow\":[\"10.1.2.0/24:443\",\"10.9.9.9/32\"],\"bandwidthMbit\":50}";
    JsonNode deployed = http.get("/v1/functions/fetcher").json();
    assertThat(deployed.path("network").toString()).isEqualTo(expected);
    assertThat(deployed.path("version").asText()).isNotEqualTo(plain.json().path("version").asText());
    node.close();
    startNode(Map.of());
    JsonNode restarted = http.get("/v1/functions/fetcher").json();
    assertThat(restarted.path("network").toString()).isEqualTo(expected);
    assertThat(restarted.path("version").asText()).isEqualTo(deployed.path("version").asText());
  }

  @Test
  void oversizedCodeAndPayloadAre400() throws Exception {
    node.close();
    startNode(Map.of("faascell.api.max-code-bytes", 1000, "faascell.api.max-payload-bytes", 100));
    var code = http.deploy("big", "exec", "handler", "handler", "x".repeat(1001), "");
    assertThat(code.status()).isEqualTo(400);
    assertThat(code.json().path("error").path("message").asText()).contains("limit is 1000");

    deployExec("small", "echo");
    var payload = http.invoke("small", "y".repeat(101));
    assertThat(payload.status()).isEqualTo(400);
    assertThat(payload.json().path("error").path("message").asText()).contains("100 bytes");
    assertThat(http.invoke("small", "y".repeat(100)).status()).isEqualTo(200);
  }

  @Test
  void aPythonFunctionsPayloadMustBeJson() {
    http.deploy("py", "python", "main.handle", "main.py", "def handle(e): return e", "");
    var reply = http.invoke("py", "{broken");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().path("error").path("message").asText()).contains("must be JSON");
  }

  @Test
  void failuresMapToTheirStatuses() {
    deployExec("failing", "fail");
    var failed = http.invoke("failing", "x");
    assertThat(failed.status()).isEqualTo(502);
    assertThat(failed.json().path("error").path("kind").asText()).isEqualTo("function-error");
    assertThat(failed.json().path("logs").asText()).contains("stderr of function");

    deployExec("hanging", "hang");
    var hung = http.invoke("hanging", "x");
    assertThat(hung.status()).isEqualTo(504);
    assertThat(hung.json().path("error").path("kind").asText()).isEqualTo("timeout");

    deployExec("crashing", "crash");
    assertThat(http.invoke("crashing", "x").status()).isEqualTo(502);
  }

  @Test
  void aFullQueueIs429WithRetryAfter() throws Exception {
    node.close();
    startNode(Map.of("faascell.node.max-vms", 1, "faascell.dispatcher.queue-capacity", 1,
        "faascell.dispatcher.retry-after", "3s"));
    deployExec("sleeper", "sleep");
    List<CompletableFuture<Http.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      replies.add(CompletableFuture.supplyAsync(() -> http.invoke("sleeper", "300")));
    }
    List<Http.Reply> done = replies.stream().map(CompletableFuture::join).toList();
    var refused = done.stream().filter(r -> r.status() == 429).toList();
    assertThat(refused).isNotEmpty();
    assertThat(refused.get(0).raw().headers().firstValue("Retry-After")).hasValue("3");
    assertThat(done).allMatch(r -> r.status() == 200 || r.status() == 429);
  }

  @Test
  void unknownEndpointsAndMethodsAnswerJson() {
    var missing = http.get("/v2/nothing");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().path("error").isObject()).isTrue();
    var method = http.send("PATCH", "/v1/functions/hello", "{}");
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.json().path("error").isObject()).isTrue();
  }

  @Test
  void functionsSurviveARestart() throws Exception {
    http.deploy("keeper", "python", "main.handle", "main.py", "def handle(e): return e", "");
    node.close();
    startNode(Map.of());
    assertThat(http.get("/v1/functions/keeper").status()).isEqualTo(200);
  }

  @Test
  void metricsAreExposedInPrometheusFormat() {
    deployExec("echoer", "echo");
    http.invoke("echoer", "x");
    var metrics = http.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("faascell_invocations_total{function=\"echoer\",outcome=\"ok\",start_kind=\"cold\"}");
  }

  @Test
  void statusShowsVmsAndCapacity() {
    deployExec("echoer", "echo");
    http.invoke("echoer", "x");
    var status = http.get("/v1/status");
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.json().path("vms").get(0).path("function").asText()).isEqualTo("echoer");
    JsonNode node = status.json().path("node");
    assertThat(node.path("memoryAccountedMb").asInt()).isPositive();
    assertThat(node.path("memoryCapacityMb").asLong()).isGreaterThan(node.path("memoryAccountedMb").asLong());
    assertThat(node.path("startSlots").asInt()).isPositive();
    assertThat(status.json().path("vms").get(0).path("state").asText()).isEqualTo("idle");
  }

  /** QEMUs kept ready for a snapshot hold memory before any VM runs: the node's accounting counts them. */
  @Test
  void qemusKeptReadyForASnapshotAreAccountedMemory() throws Exception {
    node.close();
    startNode(Map.of("faascell.snapshots.prestarted-per-snapshot", 3, "faascell.snapshots.prestart-memory-mb", 40,
        "faascell.keep-alive.policy", "none"));
    deployExec("readied", "echo");
    assertThat(http.invoke("readied", "x").status()).isEqualTo(200);
    Await.until(() -> http.get("/v1/status").json().path("vms").isEmpty()
            && http.get("/v1/status").json().path("node").path("memoryAccountedMb").asInt() == 3 * 40,
        Duration.ofSeconds(10), "only the three ready QEMUs accounted");
    assertThat(http.send("DELETE", "/v1/functions/readied", new byte[0]).status()).isEqualTo(204);
    Await.until(() -> http.get("/v1/status").json().path("node").path("memoryAccountedMb").asInt() == 0,
        Duration.ofSeconds(10), "nothing accounted once the snapshot is gone");
  }
}
