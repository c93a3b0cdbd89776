package dev.faascell.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An HTTP server on an ephemeral loopback port that answers each path with a canned reply and records
 * what it was sent: a stand-in for a node in the client's tests.
 */
final class FakeNode implements AutoCloseable {
  /** A canned reply; {@code delayMillis} before it is sent, {@code body} null for a chunked (length-less) one. */
  record Reply(int status, String body, long delayMillis) {
    static Reply of(int status, String body) {
      return new Reply(status, body, 0);
    }
  }

  /** One request as the server saw it. */
  record Received(String method, String path, Map<String, List<String>> headers, String body, InetSocketAddress from) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : values.get(0);
    }
  }

  private final HttpServer server;
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  final List<Received> received = new CopyOnWriteArrayList<>();

  FakeNode() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::answer);
    server.start();
  }

  FakeNode on(String path, Reply reply) {
    replies.put(path, reply);
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().toString();
    received.add(new Received(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body,
        exchange.getRemoteAddress()));
    Reply reply = replies.getOrDefault(path, Reply.of(404, "{\"error\":{\"kind\":\"not-found\",\"message\":\"no\"}}"));
    try {
      Thread.sleep(reply.delayMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] bytes = reply.body() == null ? "{}".getBytes(StandardCharsets.UTF_8) : reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(reply.status(), reply.body() == null ? 0 : bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
