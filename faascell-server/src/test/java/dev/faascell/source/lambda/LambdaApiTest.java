package dev.faascell.source.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.server.Node;
import dev.faascell.testing.Http;
import dev.faascell.testing.TestNodes;
import dev.faascell.vmm.fake.FakeVmm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Lambda front door's contract (docs/LAMBDA.md) on a whole node whose VMM is the in-memory double
 * (its guest behaves as the exec handler's name says: echo, fail, sleep); the AWS SDK against real VMs
 * is LambdaSdkIT.
 */
class LambdaApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FUNCTIONS = "/2015-03-31/functions";
  private Path dir;
  private Node node;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    dir = TestNodes.tempDir("fc-lambda-");
    startNode(Map.of());
  }

  private void startNode(Map<String, ?> overrides) throws Exception {
    FakeVmm vmm = new FakeVmm(dir.resolve("run"), 10);
    node = Node.start(TestNodes.config(dir, overrides), vmm, TestNodes.fakeImage(dir));
    http = new Http(node.url());
  }

  @AfterEach
  void stop() throws Exception {
    node.close();
    TestNodes.delete(dir);
  }

  @Test
  void createGetListAndDeleteSpeakFunctionConfiguration() throws Exception {
    var created = create("echoer", "provided.al2023", "echo", zip("echo", "#!/bin/sh\ncat\n"), Map.of("MemorySize", 256));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("FunctionName").asText()).isEqualTo("echoer");
    assertThat(created.json().path("FunctionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:echoer");
    assertThat(created.json().path("MemorySize").asInt()).isEqualTo(256);
    assertThat(created.json().path("Timeout").asInt()).isEqualTo(3);
    assertThat(created.json().path("Runtime").asText()).isEqualTo("provided");
    assertThat(created.json().path("State").asText()).isEqualTo("Active");

    var again = create("echoer", "provided.al2023", "echo", zip("echo", "#!/bin/sh\ncat\n"), Map.of());
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.raw().headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceConflictException");

    // one registry, two APIs: the function is FaaSCell's too, and the samples are Lambda's
    assertThat(http.get("/v1/functions/echoer").json().path("runtime").asText()).isEqualTo("exec");
    var got = http.get(FUNCTIONS + "/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Ahello");
    assertThat(got.json().path("Configuration").path("Runtime").asText()).isEqualTo("python3.11");

    var first = http.get(FUNCTIONS + "?MaxItems=2");
    assertThat(first.json().path("Functions").findValuesAsText("FunctionName")).containsExactly("echo", "echoer");
    var rest = http.get(FUNCTIONS + "?MaxItems=2&Marker=" + first.json().path("NextMarker").asText());
    assertThat(rest.json().path("Functions").findValuesAsText("FunctionName")).containsExactly("hello");
    assertThat(rest.json().has("NextMarker")).isFalse();
    assertThat(http.get(FUNCTIONS + "?MaxItems=0").status()).isEqualTo(400);

    assertThat(http.send("DELETE", FUNCTIONS + "/echoer", (byte[]) null).status()).isEqualTo(204);
    var gone = http.get(FUNCTIONS + "/echoer");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.raw().headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
    assertThat(gone.json().path("Message").asText()).contains("Function not found");
  }

  @Test
  void badDeploysAre400WithAOneLineReason() throws Exception {
    var noModule = create("py", "python3.12", "app.handler", zip("main.py", "def handler(e, c):\n  return e\n"), Map.of());
    assertThat(noModule.status()).isEqualTo(400);
    assertThat(noModule.raw().headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidParameterValueException");
    assertThat(noModule.json().path("message").asText()).contains("module 'app' is not in the code").doesNotContain("\n");

    var noFunction = create("py", "python3.12", "main.nothere", zip("main.py", "def handler(e, c):\n  return e\n"), Map.of());
    assertThat(noFunction.json().path("message").asText()).contains("main.py does not define 'nothere'");

    var java = create("jv", "java17", "a.b", zip("x", "x"), Map.of());
    assertThat(java.json().path("message").asText()).contains("java17 is not supported");
    assertThat(http.send("POST", FUNCTIONS, "{not json").raw().headers().firstValue("x-amzn-ErrorType"))
        .hasValue("InvalidRequestContentException");
  }

  @Test
  void invokeAnswersAsLambdaDoes() throws Exception {
    create("echoer", "provided", "echo", zip("echo", "#!/bin/sh\ncat\n"), Map.of());
    create("failer", "provided", "fail", zip("fail", "#!/bin/sh\nexit 1\n"), Map.of());

    var sync = invoke("echoer", "{\"a\":1}", Map.of("X-Amz-Log-Type", "Tail"));
    assertThat(sync.status()).isEqualTo(200);
    assertThat(sync.body()).isEqualTo("{\"a\":1}");
    assertThat(sync.raw().headers().firstValue("X-Amz-Executed-Version")).hasValue("$LATEST");
    assertThat(new String(Base64.getDecoder().decode(sync.raw().headers().firstValue("X-Amz-Log-Result").orElseThrow()),
        StandardCharsets.UTF_8)).contains("REPORT RequestId:");

    var failed = invoke("failer", "{}", Map.of());
    assertThat(failed.status()).isEqualTo(200);
    assertThat(failed.raw().headers().firstValue("X-Amz-Function-Error")).hasValue("Unhandled");
    assertThat(failed.json().path("errorMessage").asText()).contains("boom");

    assertThat(invoke("echoer", "{}", Map.of("X-Amz-Invocation-Type", "Event")).status()).isEqualTo(202);
    assertThat(invoke("echoer", "{}", Map.of("X-Amz-Invocation-Type", "DryRun")).status()).isEqualTo(204);
    assertThat(invoke("echoer", "{}", Map.of("X-Amz-Invocation-Type", "Later")).status()).isEqualTo(400);
    assertThat(http.send("POST", FUNCTIONS + "/echoer:7/invocations", "{}").status()).isEqualTo(404);

    var missing = invoke("nobody", "{}", Map.of());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.raw().headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
    var notJson = invoke("hello", "{not json", Map.of());
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.raw().headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidRequestContentException");
    var unknown = http.send("PATCH", FUNCTIONS + "/echoer", "{}");
    assertThat(unknown.raw().headers().firstValue("x-amzn-ErrorType")).hasValue("UnknownOperationException");
  }

  @Test
  void updateFunctionCodeReplacesTheCode() throws Exception {
    create("echoer", "provided", "echo", zip("echo", "#!/bin/sh\ncat\n"), Map.of());
    String before = http.get(FUNCTIONS + "/echoer").json().path("Configuration").path("CodeSha256").asText();
    ObjectNode body = JSON.createObjectNode().put("ZipFile", base64(zip("echo", "#!/bin/sh\ncat\n# v2\n")));
    var updated = http.send("PUT", FUNCTIONS + "/echoer/code", JSON.writeValueAsBytes(body));
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    assertThat(updated.json().path("CodeSha256").asText()).isNotEqualTo(before);
    var broken = http.send("PUT", FUNCTIONS + "/echoer/code",
        JSON.writeValueAsBytes(JSON.createObjectNode().put("ZipFile", base64(zip("other", "x")))));
    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.json().path("message").asText()).contains("handler 'echo' is not a file in the code");
  }

  @Test
  void updateFunctionCodeKeepsTheFunctionsNetwork() throws Exception {
    String network = "{\"mode\":\"egress\",\"allow\":[\"10.1.2.0/24:443\"],\"bandwidthMbit\":0}";
    assertThat(http.deploy("fetcher", "exec", "echo", "echo", "#!/bin/sh\ncat\n", "\"network\":" + network).status())
        .isEqualTo(201);
    ObjectNode body = JSON.createObjectNode().put("ZipFile", base64(zip("echo", "#!/bin/sh\ncat\n# v2\n")));
    assertThat(http.send("PUT", FUNCTIONS + "/fetcher/code", JSON.writeValueAsBytes(body)).status()).isEqualTo(200);
    assertThat(http.get("/v1/functions/fetcher").json().path("network").toString()).isEqualTo(network);
  }

  @Test
  void oversizedPayloadsAre413AndAFullQueueIs429WithRetryAfter() throws Exception {
    node.close();
    startNode(Map.of("faascell.node.max-vms", 1, "faascell.dispatcher.queue-capacity", 1,
        "faascell.dispatcher.retry-after", "3s", "faascell.api.max-payload-bytes", 1000));
    create("sleeper", "provided", "sleep", zip("sleep", "#!/bin/sh\n"), Map.of());
    var big = invoke("sleeper", "1".repeat(2000), Map.of());
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.raw().headers().firstValue("x-amzn-ErrorType")).hasValue("RequestTooLargeException");

    List<CompletableFuture<Http.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      replies.add(CompletableFuture.supplyAsync(() -> invoke("sleeper", "300", Map.of())));
    }
    List<Http.Reply> done = replies.stream().map(CompletableFuture::join).toList();
    var throttled = done.stream().filter(r -> r.status() == 429).toList();
    assertThat(throttled).isNotEmpty();
    assertThat(throttled.get(0).raw().headers().firstValue("x-amzn-ErrorType")).hasValue("TooManyRequestsException");
    assertThat(throttled.get(0).raw().headers().firstValue("Retry-After")).hasValue("3");
    assertThat(done).allMatch(r -> r.status() == 200 || r.status() == 429);
  }

  @Test
  void aNodeThatRequiresATokenRequiresSignaturesMadeWithItsKey() throws Exception {
    node.close();
    startNode(Map.of("faascell.api.token", "secret-token", "faascell.lambda.access-key-id", "AKIDFAASCELL",
        "faascell.lambda.secret-access-key", "s3cr3t"));
    var unsigned = http.get(FUNCTIONS);
    assertThat(unsigned.status()).isEqualTo(403);
    assertThat(unsigned.raw().headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");

    assertThat(signed(new SigV4("AKIDFAASCELL", "s3cr3t"), "GET", "/2015-03-31/functions", "").status()).isEqualTo(200);
    // as botocore (the AWS CLI) sends ListFunctions
    assertThat(signed(new SigV4("AKIDFAASCELL", "s3cr3t"), "GET", "/2015-03-31/functions/", "").status()).isEqualTo(200);
    var wrongSecret = signed(new SigV4("AKIDFAASCELL", "guess"), "GET", "/2015-03-31/functions", "");
    assertThat(wrongSecret.status()).isEqualTo(403);
    assertThat(wrongSecret.raw().headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
    // FaaSCell's own API still wants its bearer token
    assertThat(http.get("/v1/functions").status()).isEqualTo(401);
  }

  private Http.Reply signed(SigV4 key, String method, String path, String body) {
    URI uri = URI.create(node.url() + path);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("host", uri.getHost() + ":" + uri.getPort());
    headers.put("x-amz-date", SigV4.amzDate(Instant.now()));
    var request = new SigV4.Request(method, List.of(path.substring(1).split("/", -1)), List.of(), headers,
        body.getBytes(StandardCharsets.UTF_8));
    String authorization = key.authorization(request, "us-east-1", "lambda");
    return http.send(method, path, body.isEmpty() ? null : body.getBytes(StandardCharsets.UTF_8),
        Map.of("Authorization", authorization, "X-Amz-Date", headers.get("x-amz-date")));
  }

  private Http.Reply invoke(String function, String payload, Map<String, String> headers) {
    return http.send("POST", FUNCTIONS + "/" + function + "/invocations", payload.getBytes(StandardCharsets.UTF_8), headers);
  }

  private Http.Reply create(String name, String runtime, String handler, byte[] zip, Map<String, Object> extra)
      throws IOException {
    ObjectNode body = JSON.createObjectNode().put("FunctionName", name).put("Runtime", runtime).put("Handler", handler)
        .put("Role", "arn:aws:iam::000000000000:role/any");
    body.putObject("Code").put("ZipFile", base64(zip));
    extra.forEach((key, value) -> body.set(key, JSON.valueToTree(value)));
    return http.send("POST", FUNCTIONS, JSON.writeValueAsBytes(body));
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static byte[] zip(String file, String content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry(file));
      zip.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}
