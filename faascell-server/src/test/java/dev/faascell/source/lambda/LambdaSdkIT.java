package dev.faascell.source.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.server.Node;
import dev.faascell.testing.Await;
import dev.faascell.testing.AwsSdk;
import dev.faascell.testing.Http;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Lambda front door driven by the real AWS SDK for JavaScript v3 against one node on real
 * microVMs. The node requires a token, as one reachable off loopback does, so every SDK request's
 * SigV4 signature is checked against the configured key.
 */
class LambdaSdkIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "it-token";
  private static final String KEY_ID = "AKIDFAASCELLTEST";
  private static final String SECRET = "faascell/test/secret";
  private static Path dir;
  private static Node node;
  private static AwsSdk sdk;
  private static Http http;

  private static final String PYTHON_APP = """
      import time

      def handler(event, context):
          if event.get("fail"):
              raise ValueError("refused: " + event["fail"])
          if event.get("sleep"):
              time.sleep(event["sleep"])
          print("greeting", event.get("name"))
          return {"greeting": "Hello, " + str(event.get("name")) + "!", "requestId": context.aws_request_id,
                  "function": context.function_name, "memory": context.memory_limit_in_mb,
                  "remainingMs": context.get_remaining_time_in_millis()}
      """;
  private static final String NODE_COMMONJS = """
      exports.handler = async (event, context) => {
        console.log("node says hi to", event.name);
        if (event.fail) throw new TypeError("cannot greet " + event.fail);
        return { greeting: `Hello, ${event.name}!`, node: process.version, requestId: context.awsRequestId,
          remainingMs: context.getRemainingTimeInMillis() };
      };
      """;
  private static final String NODE_ESM = """
      import { createHash } from "node:crypto";
      export const handler = async (event) => ({ sha: createHash("sha256").update(event.text).digest("hex") });
      """;

  @BeforeAll
  static void start() throws Exception {
    dir = TestNodes.tempDir("fc-sdk-");
    node = RealNodes.start(dir, Map.of("faascell.node.max-vms", 4, "faascell.api.token", TOKEN,
        "faascell.lambda.access-key-id", KEY_ID, "faascell.lambda.secret-access-key", SECRET,
        // throttling: one invocation of a function at a time, two waiting, the rest refused
        "faascell.dispatcher.max-concurrency-per-function", 1, "faascell.dispatcher.queue-capacity", 2,
        "faascell.dispatcher.retry-after", "2s"));
    sdk = AwsSdk.install(node.url(), KEY_ID, SECRET);
    http = new Http(node.url());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
      assertThat(RealNodes.qemuProcessesUnder(dir)).isEmpty();
    }
    TestNodes.delete(dir);
  }

  @Test
  void aPythonFunctionThroughItsWholeLife() throws Exception {
    assertThat(create("py-greet", "python3.12", "app.handler", zip(Map.of("app.py", PYTHON_APP)))
        .path("result").path("FunctionArn").asText()).endsWith(":function:py-greet");
    assertThat(sdk.run(AwsSdk.command("get").put("name", "py-greet")).path("result").path("Configuration")
        .path("Handler").asText()).isEqualTo("app.handler");

    JsonNode sync = invoke("py-greet", "{\"name\":\"SDK\"}", null, true);
    assertThat(sync.path("StatusCode").asInt()).isEqualTo(200);
    JsonNode payload = JSON.readTree(sync.path("Payload").asText());
    assertThat(payload.path("greeting").asText()).isEqualTo("Hello, SDK!");
    assertThat(payload.path("function").asText()).isEqualTo("py-greet");
    assertThat(payload.path("memory").asText()).isEqualTo("128");
    assertThat(payload.path("requestId").asText()).isNotBlank();
    assertThat(payload.path("remainingMs").asLong()).isBetween(1L, 3_000L);
    assertThat(sync.path("ExecutedVersion").asText()).isEqualTo("$LATEST");
    assertThat(sync.path("Log").asText()).contains("greeting SDK").contains("REPORT RequestId: " + payload.path("requestId").asText());

    JsonNode failed = invoke("py-greet", "{\"fail\":\"no\"}", null, false);
    assertThat(failed.path("FunctionError").asText()).isEqualTo("Unhandled");
    JsonNode error = JSON.readTree(failed.path("Payload").asText());
    assertThat(error.path("errorType").asText()).isEqualTo("ValueError");
    assertThat(error.path("errorMessage").asText()).isEqualTo("refused: no");
    assertThat(error.path("stackTrace").toString()).contains("app.py");

    assertThat(invoke("py-greet", "{}", "DryRun", false).path("StatusCode").asInt()).isEqualTo(204);
    int tracedBefore = traces("py-greet").size();
    assertThat(invoke("py-greet", "{\"name\":\"later\"}", "Event", false).path("StatusCode").asInt()).isEqualTo(202);
    Await.until(() -> traces("py-greet").size() > tracedBefore, Duration.ofMinutes(2), "the Event invocation's trace record");
    assertThat(traces("py-greet").get(traces("py-greet").size() - 1).path("outcome").asText()).isEqualTo("ok");

    var updated = sdk.run(AwsSdk.command("update").put("name", "py-greet")
        .put("zipBase64", base64(zip(Map.of("app.py", "def handler(event, context):\n    return 'v2'\n")))));
    assertThat(updated.path("result").path("CodeSize").asInt()).isPositive();
    assertThat(invoke("py-greet", "{}", null, false).path("Payload").asText()).isEqualTo("\"v2\"");

    assertThat(sdk.run(AwsSdk.command("delete").put("name", "py-greet")).has("error")).isFalse();
    JsonNode gone = sdk.run(AwsSdk.command("get").put("name", "py-greet")).path("error");
    assertThat(gone.path("name").asText()).isEqualTo("ResourceNotFoundException");
    assertThat(gone.path("status").asInt()).isEqualTo(404);
  }

  @Test
  void aNodeFunctionStartsColdThenRunsWarm() throws Exception {
    create("node-greet", "nodejs20.x", "index.handler", zip(Map.of("index.js", NODE_COMMONJS)));
    JsonNode cold = invoke("node-greet", "{\"name\":\"cold\"}", null, true);
    JsonNode warm = invoke("node-greet", "{\"name\":\"warm\"}", null, true);
    assertThat(JSON.readTree(cold.path("Payload").asText()).path("greeting").asText()).isEqualTo("Hello, cold!");
    JsonNode warmPayload = JSON.readTree(warm.path("Payload").asText());
    assertThat(warmPayload.path("node").asText()).startsWith("v");
    assertThat(warmPayload.path("remainingMs").asLong()).isBetween(1L, 3_000L);
    // Lambda's own sign of a cold start: an Init Duration in the REPORT line
    assertThat(cold.path("Log").asText()).contains("node says hi to cold").contains("Init Duration");
    assertThat(warm.path("Log").asText()).contains("node says hi to warm").doesNotContain("Init Duration");
    List<JsonNode> records = traces("node-greet");
    assertThat(records).extracting(r -> r.path("startKind").asText()).containsExactly("cold", "warm");

    JsonNode failed = invoke("node-greet", "{\"name\":\"x\",\"fail\":\"nobody\"}", null, false);
    assertThat(failed.path("FunctionError").asText()).isEqualTo("Unhandled");
    JsonNode error = JSON.readTree(failed.path("Payload").asText());
    assertThat(error.path("errorType").asText()).isEqualTo("TypeError");
    assertThat(error.path("errorMessage").asText()).isEqualTo("cannot greet nobody");
    assertThat(error.path("stackTrace").get(0).asText()).contains("/fn/index.js");
  }

  @Test
  void anEsModuleHandlerRuns() throws Exception {
    create("node-esm", "nodejs22.x", "lib/hash.handler", zip(Map.of("lib/hash.mjs", NODE_ESM)));
    JsonNode result = JSON.readTree(invoke("node-esm", "{\"text\":\"abc\"}", null, false).path("Payload").asText());
    assertThat(result.path("sha").asText()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void missingFunctionsAndBrokenDeploysAreTypedErrors() throws Exception {
    JsonNode missing = sdk.run(AwsSdk.command("invoke").put("name", "nobody").put("payload", "{}")).path("error");
    assertThat(missing.path("name").asText()).isEqualTo("ResourceNotFoundException");
    JsonNode noModule = create("broken", "python3.11", "main.handler", zip(Map.of("app.py", PYTHON_APP))).path("error");
    assertThat(noModule.path("name").asText()).isEqualTo("InvalidParameterValueException");
    assertThat(noModule.path("message").asText()).contains("module 'main' is not in the code");
    JsonNode badJson = sdk.run(AwsSdk.command("invoke").put("name", "hello").put("payload", "{oops")).path("error");
    assertThat(badJson.path("name").asText()).isEqualTo("InvalidRequestContentException");
    JsonNode wrongKey = sdk.withKey(KEY_ID, "not-the-secret").run(AwsSdk.command("get").put("name", "hello")).path("error");
    assertThat(wrongKey.path("name").asText()).isEqualTo("InvalidSignatureException");
    assertThat(wrongKey.path("status").asInt()).isEqualTo(403);
  }

  @Test
  void aBusyFunctionIsThrottledWithRetryAfter() throws Exception {
    create("py-sleep", "python3.11", "app.handler", zip(Map.of("app.py", PYTHON_APP)));
    invoke("py-sleep", "{\"name\":\"warm-up\"}", null, false);
    JsonNode replies = sdk.run(AwsSdk.command("invokeMany").put("name", "py-sleep").put("payload", "{\"sleep\":1}")
        .put("count", 6)).path("result");
    List<JsonNode> throttled = new ArrayList<>();
    int completed = 0;
    for (JsonNode reply : replies) {
      if (reply.has("error")) {
        throttled.add(reply.path("error"));
      } else {
        assertThat(reply.path("result").path("StatusCode").asInt()).isEqualTo(200);
        completed++;
      }
    }
    assertThat(completed).isBetween(1, 3);
    assertThat(throttled).isNotEmpty().allSatisfy(e -> {
      assertThat(e.path("name").asText()).isEqualTo("TooManyRequestsException");
      assertThat(e.path("status").asInt()).isEqualTo(429);
      assertThat(e.path("retryAfterSeconds").asText()).isEqualTo("2");
    });
  }

  @Test
  void listingPagesThroughEveryFunction() throws Exception {
    for (String name : List.of("list-a", "list-b", "list-c")) {
      create(name, "provided.al2023", "run.sh", zip(Map.of("run.sh", "#!/bin/sh\ncat\n")));
    }
    JsonNode listed = sdk.run(AwsSdk.command("list").put("pageSize", 2)).path("result");
    List<String> names = StreamSupport.stream(listed.path("names").spliterator(), false).map(JsonNode::asText).toList();
    assertThat(names).contains("hello", "echo", "list-a", "list-b", "list-c").doesNotHaveDuplicates();
    assertThat(listed.path("pages").asInt()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void theAwsCliInvokesAndLists() throws Exception {
    Path out = dir.resolve("cli-out.json");
    String invoked = awsCli("lambda", "invoke", "--function-name", "hello", "--payload", "{\"name\":\"CLI\"}",
        "--cli-binary-format", "raw-in-base64-out", "--log-type", "Tail", out.toString());
    assertThat(JSON.readTree(invoked).path("StatusCode").asInt()).isEqualTo(200);
    assertThat(JSON.readTree(out.toFile()).path("greeting").asText()).isEqualTo("Hello, CLI!");
    JsonNode listed = JSON.readTree(awsCli("lambda", "list-functions", "--max-items", "1"));
    assertThat(listed.path("Functions")).hasSize(1);
    assertThat(listed.path("NextToken").asText()).isNotEmpty();
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Debian's AWS CLI (scripts/install-deps.sh) against the node, with the node's key and no user config. */
  private static String awsCli(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", node.url(), "--region", "us-east-1",
        "--output", "json"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET,
        "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null", "AWS_PAGER", "",
        "AWS_MAX_ATTEMPTS", "1"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }

  private static JsonNode create(String name, String runtime, String handler, byte[] zip) {
    return sdk.run(AwsSdk.command("create").put("name", name).put("runtime", runtime).put("handler", handler)
        .put("zipBase64", base64(zip)).put("timeout", 3));
  }

  private static JsonNode invoke(String name, String payload, String type, boolean tail) {
    ObjectNode command = AwsSdk.command("invoke").put("name", name).put("payload", payload).put("tail", tail);
    if (type != null) {
      command.put("type", type);
    }
    JsonNode reply = sdk.run(command);
    assertThat(reply.has("error")).as(reply.toString()).isFalse();
    return reply.path("result");
  }

  /** The function's trace records, oldest first, from FaaSCell's own API. */
  private static List<JsonNode> traces(String function) {
    var reply = http.send("GET", "/v1/invocations?function=" + function, null, Map.of("Authorization", "Bearer " + TOKEN));
    List<JsonNode> records = new ArrayList<>();
    reply.json().path("invocations").forEach(records::add);
    return records;
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] zip(Map<String, String> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (var file : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(file.getKey()));
        zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
