package dev.faascell.source.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faascell.server.Node;
import dev.faascell.testing.Http;
import dev.faascell.testing.TestNodes;
import dev.faascell.vmm.fake.FakeVmm;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API's edge against hostile callers: a seeded fuzz of malformed requests at every endpoint, the
 * bearer token, and a refusal to expose the API without one.
 */
class ApiSafetyTest {
  private static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS");
  // echo, the function the test invokes at the end, only where a fuzzed request cannot delete or replace it
  private static final List<String> PATHS = List.of("/v1/functions", "/v1/functions/hello", "/v1/functions/hello/invoke",
      "/v1/functions/hello/snapshot", "/v1/snapshots", "/v1/snapshots/x", "/v1/invocations", "/v1/status", "/metrics",
      "/healthz", "/v1/functions/%2e%2e%2f%2e%2e", "/v1/functions/a%00b/invoke", "/v1/functions/" + "x".repeat(300),
      "/v1/invocations?limit=-5&since=yesterday&function=BAD", "/v1/functions/hello/snapshot?format=zip", "//v1//", "/",
      "/2015-03-31/functions", "/2015-03-31/functions/hello", "/2015-03-31/functions/hello/invocations",
      "/2015-03-31/functions/hello/code", "/2015-03-31/functions/hello/invocations?Qualifier=%00",
      "/2015-03-31/functions/arn%3Aaws%3Alambda%3Ax%3A1%3Afunction%3Ahello%3A%24LATEST/configuration",
      "/2015-03-31/functions?MaxItems=-1&Marker=%FF", "/2015-03-31/functions/a:b:c:d:e/invocations", "/2015-03-31/",
      "/2015-03-31/functions/echo/invocations", "/2015-03-31/functions/echo:%24LATEST/invocations",
      "/2015-03-31/functions/echo/invocations?Qualifier=7", "/2015-03-31/functions/echo/configuration");
  /** Headers a hostile caller of either API might add, the Lambda API's own among them. */
  private static final List<String> HEADERS = List.of("", "X-Amz-Invocation-Type: Bogus\r\n",
      "X-Amz-Invocation-Type: Event\r\n", "X-Amz-Invocation-Type: DryRun\r\n", "X-Amz-Log-Type: Tail\r\n",
      "X-Amz-Log-Type: \u00ff\r\n", "X-Amz-Client-Context: !!not base64!!\r\n", "Content-Type: application/json\r\n",
      "Content-Type: \u0000/\u0000\r\n", "Authorization: Bearer " + "x".repeat(5000) + "\r\n");
  private Path dir;
  private Node node;

  private Node start(Map<String, ?> overrides) throws Exception {
    dir = TestNodes.tempDir("fc-safe-");
    node = Node.start(TestNodes.config(dir, overrides), new FakeVmm(dir.resolve("run"), 1),
        TestNodes.fakeImage(dir));
    return node;
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    TestNodes.delete(dir);
  }

  @Test
  void malformedRequestsAtEveryEndpointGetClearClientErrorsAndTheNodeStillServes() throws Exception {
    start(Map.of("faascell.api.max-payload-bytes", 4096, "faascell.api.max-code-bytes", 4096));
    Http http = new Http(node.url());
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 400; i++) {
      String method = METHODS.get(random.nextInt(METHODS.size()));
      String path = PATHS.get(random.nextInt(PATHS.size()));
      String headers = HEADERS.get(random.nextInt(HEADERS.size()));
      byte[] body = body(random);
      boolean lie = random.nextInt(4) == 0;
      String request = method + " " + path + " " + headers.strip() + " with " + body.length + " bytes"
          + (lie ? " and a lying Content-Length" : "");
      // even a body that ends before its Content-Length gets its 400 before the connection closes
      OptionalInt status = rawStatus(node.port(), method, path, headers, body, lie);
      assertThat(status).as("dropped without an answer: " + request).isPresent();
      assertThat(status.getAsInt()).as(request).isBetween(200, 499);
    }
    var reply = http.invoke("echo", "still serving");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("result").asText()).isEqualTo("still serving");
  }

  private static byte[] body(SplittableRandom random) {
    return switch (random.nextInt(7)) {
      case 6 -> "{\"FunctionName\":\"x\",\"Runtime\":\"python3.12\",\"Code\":{\"ZipFile\":\"UEsDBAoAAAAAAA==\"}}"
          .getBytes(StandardCharsets.UTF_8);
      case 0 -> new byte[0];
      case 1 -> "{\"runtime\":\"python\",\"code\":{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8);
      case 2 -> "{\"runtime\":[],\"code\":{\"zipBase64\":\"UEsDBAoAAAAAAA==\"},\"env\":{\"A\":1}}".getBytes(StandardCharsets.UTF_8);
      case 3 -> "x".repeat(10_000).getBytes(StandardCharsets.UTF_8);
      default -> {
        byte[] bytes = new byte[random.nextInt(600)];
        random.nextBytes(bytes);
        yield bytes;
      }
    };
  }

  /**
   * Sends a request as raw bytes (optionally with a lying Content-Length) and returns the status, empty if
   * the server closed the connection without answering. A server that neither answers nor closes within
   * ten seconds fails the test (the socket's read times out).
   */
  private static OptionalInt rawStatus(int port, String method, String path, String headers, byte[] body, boolean lie)
      throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      int claimed = lie ? body.length + 7 : body.length;
      String head = method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers
          + "Content-Length: " + claimed + "\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      if (lie) {
        socket.shutdownOutput();
      }
      InputStream in = socket.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
      if (status.isEmpty()) {
        return OptionalInt.empty();
      }
      assertThat(status).as("a status line").matches("HTTP/1\\.1 \\d{3}");
      return OptionalInt.of(Integer.parseInt(status.substring(9, 12)));
    }
  }

  @Test
  void aTokenIsRequiredWhenConfiguredAndTheHealthCheckStaysOpen() throws Exception {
    start(Map.of("faascell.api.token", "s3cret"));
    Http http = new Http(node.url());
    assertThat(http.get("/healthz").status()).isEqualTo(200);
    var refused = http.get("/v1/functions");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.json().path("error").path("message").asText()).contains("Bearer");
    assertThat(rawWithHeader("Authorization: Bearer wrong")).isEqualTo(401);
    assertThat(rawWithHeader("Authorization: Bearer s3cret")).isEqualTo(200);
  }

  private int rawWithHeader(String header) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", node.port())) {
      socket.getOutputStream().write(("GET /v1/functions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + header + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  @Test
  void anApiReachableFromOtherHostsRefusesToStartWithoutAToken() throws Exception {
    dir = TestNodes.tempDir("fc-safe-");
    assertThatThrownBy(() -> Node.start(TestNodes.config(dir, Map.of("faascell.api.host", "0.0.0.0")),
        new FakeVmm(dir.resolve("run"), 1), TestNodes.fakeImage(dir)))
        .hasMessageContaining("faascell.api.token");
  }
}
