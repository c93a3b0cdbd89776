package dev.faascell.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client for tests against a node's API. */
public final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;
  private final java.util.Map<String, String> headers;

  public Http(String base) {
    this(base, java.util.Map.of());
  }

  /** A client that sends {@code headers} (e.g. the node's bearer token) with every request. */
  public Http(String base, java.util.Map<String, String> headers) {
    this.base = base;
    this.headers = headers;
  }

  /** A response with its body parsed as JSON (null if it is not JSON). */
  public record Reply(int status, String body, JsonNode json, HttpResponse<String> raw) {}

  public Reply send(String method, String path, String body) {
    return send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  public Reply send(String method, String path, byte[] body) {
    return send(method, path, body, headers);
  }

  public Reply send(String method, String path, byte[] body, java.util.Map<String, String> headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(3))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(builder::header);
    HttpRequest request = builder.build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = JSON.readTree(response.body());
      } catch (IOException notJson) {
        json = null;
      }
      return new Reply(response.statusCode(), response.body(), json, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Reply get(String path) {
    return send("GET", path, (byte[]) null);
  }

  public Reply invoke(String function, String payload) {
    return send("POST", "/v1/functions/" + function + "/invoke", payload);
  }

  /** Deploys a function whose code is one text file. */
  public Reply deploy(String function, String runtime, String handler, String file, String code, String extraFields) {
    String body = "{\"runtime\":" + quote(runtime) + ",\"handler\":" + quote(handler) + ",\"code\":{\"file\":" + quote(file)
        + ",\"text\":" + quote(code) + "}" + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
    return send("PUT", "/v1/functions/" + function, body);
  }

  /** A JSON array of strings. */
  public static String quoteAll(java.util.List<String> texts) {
    return texts.stream().map(Http::quote).collect(java.util.stream.Collectors.joining(",", "[", "]"));
  }

  public static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
