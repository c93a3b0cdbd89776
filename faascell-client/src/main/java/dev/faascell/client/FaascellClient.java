package dev.faascell.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A client of one node's HTTP API (docs/API.md), over the JDK's HttpClient. A request with a body says
 * it is JSON; the node's bearer token, if there is one, goes with every request. Transport failures
 * are the caller's to report: {@link #send} throws them, {@link #invoke} makes them a reply.
 */
public final class FaascellClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String base;
  private final Optional<Duration> requestTimeout;
  private final String token;

  private FaascellClient(HttpClient http, String base, Optional<Duration> requestTimeout, String token) {
    this.http = http;
    this.base = base;
    this.requestTimeout = requestTimeout;
    this.token = token;
  }

  /** A client of the node at {@code base} (e.g. http://127.0.0.1:8080; a trailing slash is dropped). */
  public static Builder to(String base) {
    return new Builder(withoutTrailingSlash(base));
  }

  /**
   * This client, its connections, threads and settings, pointed at another node: for a caller that
   * must make its client before it knows where the node will listen.
   */
  public FaascellClient at(String otherBase) {
    return new FaascellClient(http, withoutTrailingSlash(otherBase), requestTimeout, token);
  }

  private static String withoutTrailingSlash(String base) {
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** How the client connects; every setting is optional (the JDK's defaults otherwise). */
  public static final class Builder {
    private final String base;
    private Optional<HttpClient.Version> version = Optional.empty();
    private Optional<Duration> connectTimeout = Optional.empty();
    private Optional<Duration> requestTimeout = Optional.empty();
    private Optional<Executor> executor = Optional.empty();
    private String token = "";

    private Builder(String base) {
      this.base = base;
    }

    /** Plain HTTP/1.1, without the JDK's attempt to upgrade to HTTP/2. */
    public Builder http11() {
      this.version = Optional.of(HttpClient.Version.HTTP_1_1);
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Optional.of(timeout);
      return this;
    }

    /** How long a request may wait for its response (none: as long as it takes). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Optional.of(timeout);
      return this;
    }

    /** The threads the client's asynchronous work runs on (the JDK makes its own otherwise). */
    public Builder executor(Executor executor) {
      this.executor = Optional.of(executor);
      return this;
    }

    /** The node's bearer token (faascell.api.token); null or empty: none. */
    public Builder token(String token) {
      this.token = token == null ? "" : token;
      return this;
    }

    public FaascellClient build() {
      HttpClient.Builder http = HttpClient.newBuilder();
      version.ifPresent(http::version);
      connectTimeout.ifPresent(http::connectTimeout);
      executor.ifPresent(http::executor);
      return new FaascellClient(http.build(), base, requestTimeout, token);
    }
  }

  public String base() {
    return base;
  }

  /** What to tell a user whose request could not connect. */
  public String noDaemonMessage() {
    return "no FaaSCell daemon at " + base + " (start one with: faascell serve)";
  }

  /** Sends one request and waits for its response; {@code body} null: a request without one. */
  public ApiResponse send(String method, String path, byte[] body) throws IOException, InterruptedException {
    return answer(http.send(request(method, path, body, requestTimeout), HttpResponse.BodyHandlers.ofString()));
  }

  /** {@link #send} without waiting; the future fails as {@link #send} throws. */
  public CompletableFuture<ApiResponse> sendAsync(String method, String path, byte[] body) {
    return http.sendAsync(request(method, path, body, requestTimeout), HttpResponse.BodyHandlers.ofString())
        .thenApply(FaascellClient::answer);
  }

  /** Invokes a function and waits for its reply; a failed request is a reply too. */
  public InvocationReply invoke(String function, String payload) throws InterruptedException {
    try {
      ApiResponse response = send("POST", invokePath(function), payload.getBytes(StandardCharsets.UTF_8));
      return InvocationReply.of(response.status(), response.body());
    } catch (IOException e) {
      return InvocationReply.failed(e);
    }
  }

  /** Invokes a function without waiting for its reply; the future never fails, a failure is in the reply. */
  public CompletableFuture<InvocationReply> invokeAsync(String function, String payload) {
    return sendAsync("POST", invokePath(function), payload.getBytes(StandardCharsets.UTF_8))
        .handle((response, failure) -> failure == null ? InvocationReply.of(response.status(), response.body())
            : InvocationReply.failed(failure));
  }

  /** The node's status document now, or empty if it did not answer with one within {@code timeout}. */
  public Optional<JsonNode> status(Duration timeout) throws InterruptedException {
    try {
      HttpResponse<String> response = http.send(request("GET", "/v1/status", null, Optional.of(timeout)),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String invokePath(String function) {
    return "/v1/functions/" + function + "/invoke";
  }

  private HttpRequest request(String method, String path, byte[] body, Optional<Duration> timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    timeout.ifPresent(request::timeout);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (!token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.build();
  }

  private static ApiResponse answer(HttpResponse<String> response) {
    return new ApiResponse(response.statusCode(), response.body());
  }
}
