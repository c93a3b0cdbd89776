package dev.faascell.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process stand-in for a node's HTTP API: takes deploys, answers invocations like the API does
 * (start kinds cycling cold, restore, warm; every {@code queueFullEvery}-th a 429 with Retry-After;
 * every {@code slowEvery}-th after {@code slowMs}), and answers status polls.
 */
public final class FakeNode implements AutoCloseable {
  private static final Pattern INVOKE = Pattern.compile("/v1/functions/([a-z0-9-]+)/invoke");
  private static final Pattern DEPLOY = Pattern.compile("/v1/functions/([a-z0-9-]+)");
  private static final List<String> START_KINDS = List.of("cold", "restore", "warm");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final int queueFullEvery;
  private final int slowEvery;
  private final long slowMs;
  private final AtomicInteger invocations = new AtomicInteger();
  private final AtomicInteger statusPolls = new AtomicInteger();
  private final Map<String, AtomicInteger> invocationsByFunction = new ConcurrentHashMap<>();
  private final List<String> deployBodies = new CopyOnWriteArrayList<>();

  /**
   * @param queueFullEvery every n-th invocation gets 429 (0: never)
   * @param slowEvery every n-th invocation answers after slowMs (0: never)
   */
  public FakeNode(int queueFullEvery, int slowEvery, long slowMs) throws IOException {
    this.queueFullEvery = queueFullEvery;
    this.slowEvery = slowEvery;
    this.slowMs = slowMs;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
    server.setExecutor(executor);   // one thread per exchange: a slow reply holds up no other
    server.createContext("/", this::handle);
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public int invocations() {
    return invocations.get();
  }

  public int invocationsOf(String function) {
    AtomicInteger count = invocationsByFunction.get(function);
    return count == null ? 0 : count.get();
  }

  public int statusPolls() {
    return statusPolls.get();
  }

  public List<String> deployBodies() {
    return List.copyOf(deployBodies);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Matcher invoke = INVOKE.matcher(path);
    if (exchange.getRequestMethod().equals("POST") && invoke.matches()) {
      invoke(exchange, invoke.group(1), body);
    } else if (exchange.getRequestMethod().equals("PUT") && DEPLOY.matcher(path).matches()) {
      deployBodies.add(body);
      reply(exchange, 201, "{\"outcome\":\"created\"}");
    } else if (path.equals("/v1/status")) {
      int poll = statusPolls.incrementAndGet();
      reply(exchange, 200, "{\"node\":{\"vmm\":\"fake\",\"maxVms\":8,\"memoryCapacityMb\":4096,\"memoryReservedMb\":"
          + (228 * (poll % 3)) + "},\"queue\":{\"length\":" + (poll % 2) + ",\"capacity\":256},\"vms\":["
          + "{\"vmId\":\"vm-1\",\"state\":\"busy\"},{\"vmId\":\"vm-2\",\"state\":\"idle\"},{\"vmId\":\"vm-3\",\"state\":\"idle\"}]}");
    } else {
      reply(exchange, 404, "{\"error\":{\"status\":404,\"kind\":\"not-found\",\"message\":\"no " + path + "\"}}");
    }
  }

  private void invoke(HttpExchange exchange, String function, String payload) throws IOException {
    int n = invocations.incrementAndGet();
    invocationsByFunction.computeIfAbsent(function, f -> new AtomicInteger()).incrementAndGet();
    if (queueFullEvery > 0 && n % queueFullEvery == 0) {
      exchange.getResponseHeaders().add("Retry-After", "1");
      reply(exchange, 429, "{\"error\":{\"status\":429,\"kind\":\"queue-full\",\"message\":\"the queue is full, retry later\"},"
          + "\"function\":\"" + function + "\",\"queueMs\":0.0}");
      return;
    }
    if (slowEvery > 0 && n % slowEvery == 0) {
      try {
        Thread.sleep(slowMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String startKind = START_KINDS.get(n % START_KINDS.size());
    reply(exchange, 200, "{\"invocationId\":\"i-" + n + "\",\"function\":\"" + function + "\",\"result\":" + payload
        + ",\"startKind\":\"" + startKind + "\",\"vmId\":\"vm-" + (n % 4) + "\",\"queueMs\":0.5,\"acquireMs\":"
        + (startKind.equals("warm") ? "0.1" : "40.0") + ",\"bootMs\":" + (startKind.equals("cold") ? "30.0" : "0.0")
        + ",\"restoreMs\":" + (startKind.equals("restore") ? "20.0" : "0.0") + ",\"initMs\":0.0,\"runMs\":2.0,"
        + "\"execMs\":1.0,\"totalMs\":45.0,\"logs\":\"\"}");
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
