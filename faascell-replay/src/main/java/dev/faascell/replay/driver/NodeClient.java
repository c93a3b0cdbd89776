package dev.faascell.replay.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.replay.workload.SyntheticFunction;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The node's HTTP API as the replay uses it: deploy, invoke, status. */
final class NodeClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE_CHARS = 500;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private final Duration requestTimeout;

  NodeClient(URI base, Duration requestTimeout) {
    this.base = base;
    this.requestTimeout = requestTimeout;
  }

  /** What came back for one invocation; {@code status} 0 if nothing did. */
  record Reply(int status, String errorKind, String errorMessage, String startKind, String vmId, ReplyTimings timings) {}

  void deploy(SyntheticFunction function) {
    HttpResponse<String> response;
    try {
      response = http.send(request("/v1/functions/" + function.name(), requestTimeout)
          .PUT(HttpRequest.BodyPublishers.ofString(function.deployJson())).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ReplayException(unreachable(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReplayException("interrupted while deploying " + function.name(), e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new ReplayException("deploying " + function.name() + " failed: HTTP " + response.statusCode() + ": " + response.body());
    }
  }

  /** Sends an invocation without waiting for its reply; the future never fails, a failure is in the reply. */
  CompletableFuture<Reply> invokeAsync(String function, String payload) {
    return http.sendAsync(invokeRequest(function, payload), HttpResponse.BodyHandlers.ofString())
        .handle((response, failure) -> failure == null ? parse(response) : clientFailure(failure));
  }

  /** Sends an invocation and waits for its reply. */
  Reply invoke(String function, String payload) throws InterruptedException {
    try {
      return parse(http.send(invokeRequest(function, payload), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return clientFailure(e);
    }
  }

  /** The node's status now, or empty if it did not answer with one within {@code timeout}. */
  Optional<JsonNode> status(Duration timeout) throws InterruptedException {
    try {
      HttpResponse<String> response = http.send(request("/v1/status", timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private HttpRequest invokeRequest(String function, String payload) {
    return request("/v1/functions/" + function + "/invoke", requestTimeout)
        .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)).build();
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Content-Type", "application/json");
  }

  private String unreachable(IOException e) {
    return e instanceof ConnectException ? "no FaaSCell daemon at " + base + " (start one with: faascell serve)"
        : "request to " + base + " failed: " + e;
  }

  static Reply parse(HttpResponse<String> response) {
    int status = response.statusCode();
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException notJson) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      return new Reply(status, status == 200 ? "" : "http-" + status, status == 200 ? "" : truncate(response.body()),
          "", "", ReplyTimings.NONE);
    }
    JsonNode error = json.path("error");
    String kind = status == 200 ? "" : error.path("kind").asText("http-" + status);
    return new Reply(status, kind, truncate(error.path("message").asText("")), json.path("startKind").asText(""),
        json.path("vmId").asText(""), new ReplyTimings(ms(json, "queueMs"), ms(json, "acquireMs"), ms(json, "bootMs"),
        ms(json, "restoreMs"), ms(json, "initMs"), ms(json, "runMs"), ms(json, "execMs"), ms(json, "totalMs")));
  }

  private static double ms(JsonNode reply, String field) {
    JsonNode value = reply.get(field);
    return value != null && value.isNumber() ? value.asDouble() : Double.NaN;
  }

  private static Reply clientFailure(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    String kind = cause instanceof HttpTimeoutException ? "client-timeout"
        : cause instanceof ConnectException ? "connection-failed" : "client-error";
    return new Reply(0, kind, truncate(String.valueOf(cause)), "", "", ReplyTimings.NONE);
  }

  private static String truncate(String text) {
    return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "…";
  }
}
