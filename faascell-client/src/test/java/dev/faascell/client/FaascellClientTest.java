package dev.faascell.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a stand-in node on a loopback port: what it sends, and how it reads what comes back. */
class FaascellClientTest {
  private static final String COLD_REPLY = """
      {"result":{"ok":true},"startKind":"cold","vmId":"vm-3","queueMs":0.5,"acquireMs":801,"bootMs":790,
       "initMs":12.5,"runMs":3,"totalMs":820}""";

  private FakeNode node;

  @BeforeEach
  void start() throws Exception {
    node = new FakeNode();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void aRequestWithABodySaysItIsJsonAndCarriesTheToken() throws Exception {
    node.on("/v1/functions/f", FakeNode.Reply.of(201, "{\"outcome\":\"created\"}"));
    FaascellClient client = FaascellClient.to(node.url() + "/").token("s3cret").build();

    ApiResponse response = client.send("PUT", "/v1/functions/f", "{\"runtime\":\"python\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(response).isEqualTo(new ApiResponse(201, "{\"outcome\":\"created\"}"));
    assertThat(response.successful()).isTrue();
    FakeNode.Received sent = node.received.get(0);
    assertThat(sent.method()).isEqualTo("PUT");
    assertThat(sent.path()).isEqualTo("/v1/functions/f");
    assertThat(sent.body()).isEqualTo("{\"runtime\":\"python\"}");
    assertThat(sent.header("Content-type")).isEqualTo("application/json");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer s3cret");
  }

  @Test
  void aRequestWithoutABodyOrTokenCarriesNeither() throws Exception {
    node.on("/v1/functions", FakeNode.Reply.of(500, "{\"error\":{}}"));
    ApiResponse response = FaascellClient.to(node.url()).build().send("GET", "/v1/functions", null);

    assertThat(response.successful()).isFalse();
    assertThat(response.status()).isEqualTo(500);
    assertThat(node.received.get(0).header("Content-type")).isNull();
    assertThat(node.received.get(0).header("Authorization")).isNull();
  }

  @Test
  void anInvocationReplyGivesItsStartKindVmAndTimings() throws Exception {
    node.on("/v1/functions/f/invoke", FakeNode.Reply.of(200, COLD_REPLY));
    FaascellClient client = FaascellClient.to(node.url()).http11().build();

    InvocationReply reply = client.invokeAsync("f", "{\"n\":1}").get();

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.errorKind()).isEmpty();
    assertThat(reply.startKind()).isEqualTo("cold");
    assertThat(reply.vmId()).isEqualTo("vm-3");
    assertThat(reply.timings().acquireMs()).isEqualTo(801);
    assertThat(reply.timings().initMs()).isEqualTo(12.5);
    assertThat(reply.timings().restoreMs()).isNaN();
    assertThat(node.received.get(0).body()).isEqualTo("{\"n\":1}");
    assertThat(client.invoke("f", "{}")).isEqualTo(reply);
  }

  @Test
  void anErrorReplyGivesItsKindAndMessage() throws Exception {
    node.on("/v1/functions/f/invoke", FakeNode.Reply.of(429,
        "{\"error\":{\"status\":429,\"kind\":\"queue-full\",\"message\":\"" + "x".repeat(600) + "\"}}"));
    InvocationReply reply = FaascellClient.to(node.url()).build().invoke("f", "{}");

    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.errorKind()).isEqualTo("queue-full");
    assertThat(reply.errorMessage()).hasSize(501).endsWith("…");
    assertThat(reply.timings()).isEqualTo(ReplyTimings.NONE);
  }

  @Test
  void aReplyThatIsNotJsonIsAnErrorNamedAfterItsStatus() {
    assertThat(InvocationReply.of(502, "Bad Gateway")).isEqualTo(
        new InvocationReply(502, "http-502", "Bad Gateway", "", "", ReplyTimings.NONE));
    assertThat(InvocationReply.of(200, "[1]").errorKind()).isEmpty();
  }

  @Test
  void aReplyLaterThanTheRequestTimeoutIsAClientTimeout() throws Exception {
    node.on("/v1/functions/slow/invoke", new FakeNode.Reply(200, COLD_REPLY, 2_000));
    FaascellClient client = FaascellClient.to(node.url()).requestTimeout(Duration.ofMillis(200)).build();

    InvocationReply reply = client.invokeAsync("slow", "{}").get();

    assertThat(reply.status()).isZero();
    assertThat(reply.errorKind()).isEqualTo("client-timeout");
  }

  @Test
  void noDaemonIsAConnectionFailure() throws Exception {
    String nobody = "http://127.0.0.1:" + freePort();
    FaascellClient client = FaascellClient.to(nobody).connectTimeout(Duration.ofSeconds(5)).build();

    assertThat(client.invoke("f", "{}").errorKind()).isEqualTo("connection-failed");
    assertThat(client.invokeAsync("f", "{}").get().errorKind()).isEqualTo("connection-failed");
    assertThatThrownBy(() -> client.send("GET", "/v1/status", null)).isInstanceOf(ConnectException.class);
    assertThat(client.status(Duration.ofSeconds(1))).isEmpty();
    assertThat(client.noDaemonMessage()).isEqualTo("no FaaSCell daemon at " + nobody + " (start one with: faascell serve)");
  }

  @Test
  void statusIsTheDocumentOrNothing() throws Exception {
    FaascellClient client = FaascellClient.to(node.url()).build();
    node.on("/v1/status", FakeNode.Reply.of(200, "{\"node\":{\"vmm\":\"fake\"}}"));
    assertThat(client.status(Duration.ofSeconds(5)).orElseThrow().path("node").path("vmm").asText()).isEqualTo("fake");

    node.on("/v1/status", FakeNode.Reply.of(503, "{}"));
    assertThat(client.status(Duration.ofSeconds(5))).isEmpty();

    node.on("/v1/status", new FakeNode.Reply(200, "{}", 2_000));
    assertThat(client.status(Duration.ofMillis(200))).isEmpty();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
