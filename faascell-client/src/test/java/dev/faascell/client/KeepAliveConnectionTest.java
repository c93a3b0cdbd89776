package dev.faascell.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One socket for many requests, and the replies read off it. */
class KeepAliveConnectionTest {
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
  void requestsFollowEachOtherOnOneConnection() throws Exception {
    node.on("/v1/functions/f/invoke", FakeNode.Reply.of(200, "{\"startKind\":\"warm\"}"));
    node.on("/v1/functions/g/invoke", FakeNode.Reply.of(404, "{\"error\":{\"kind\":\"not-found\"}}"));
    try (KeepAliveConnection connection = new KeepAliveConnection("127.0.0.1", node.port())) {
      var first = connection.send("POST", "/v1/functions/f/invoke", "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
      var second = connection.send("POST", "/v1/functions/g/invoke", new byte[0]);

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.text()).isEqualTo("{\"startKind\":\"warm\"}");
      assertThat(second.status()).isEqualTo(404);
      assertThat(second.text()).contains("not-found");
    }
    assertThat(node.received).hasSize(2);
    assertThat(node.received.get(0).body()).isEqualTo("{\"n\":1}");
    assertThat(node.received.get(0).header("Content-type")).isEqualTo("application/json");
    assertThat(node.received.get(1).from()).isEqualTo(node.received.get(0).from());
  }

  @Test
  void aReplyWithoutContentLengthIsRefused() throws Exception {
    node.on("/chunked", new FakeNode.Reply(200, null, 0));
    try (KeepAliveConnection connection = new KeepAliveConnection("127.0.0.1", node.port())) {
      assertThatThrownBy(() -> connection.send("GET", "/chunked", new byte[0]))
          .isInstanceOf(IOException.class).hasMessageContaining("Content-Length");
    }
  }
}
