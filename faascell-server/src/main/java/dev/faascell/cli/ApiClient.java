package dev.faascell.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The CLI's client of a running daemon's HTTP API. */
final class ApiClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  ApiClient(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token == null ? "" : token;
  }

  HttpResponse<String> send(String method, String path, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (!token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new CliException("no FaaSCell daemon at " + base + " (start one with: faascell serve)", 3);
    } catch (IOException e) {
      throw new CliException("request to " + base + path + " failed: " + e.getMessage(), 3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", 130);
    }
  }

  /** The body of a successful response; anything else ends the command with the API's error. */
  String expectOk(HttpResponse<String> response) {
    if (response.statusCode() / 100 != 2) {
      throw new CliException("HTTP " + response.statusCode() + ": " + response.body(), 2);
    }
    return response.body();
  }

  /** Deletes each named resource under a collection path, reporting each, stopping at the first refusal. */
  void deleteEach(String collection, Iterable<String> names) {
    for (String name : names) {
      expectOk(send("DELETE", collection + "/" + name, null));
      System.out.println("deleted " + name);
    }
  }
}
