package dev.faascell.cli;

import dev.faascell.client.ApiResponse;
import dev.faascell.client.FaascellClient;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --url}: where the daemon's API is. Requests to it end the command with the CLI's exit codes
 * when the daemon cannot be reached (3) or refuses (2).
 */
final class UrlOption {
  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:FAASCELL_URL:-http://127.0.0.1:8080}",
      description = "the daemon's API (default: $FAASCELL_URL or ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:FAASCELL_API_TOKEN:-}",
      description = "the daemon's bearer token, if it requires one (default: $FAASCELL_API_TOKEN)")
  String token;

  private FaascellClient client;

  /** One request; {@code body} null: a request without one. */
  ApiResponse send(String method, String path, byte[] body) {
    FaascellClient daemon = client();
    try {
      return daemon.send(method, path, body);
    } catch (ConnectException e) {
      throw new CliException(daemon.noDaemonMessage(), 3);
    } catch (IOException e) {
      throw new CliException("request to " + daemon.base() + path + " failed: " + e.getMessage(), 3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", 130);
    }
  }

  /** The body of a successful response; anything else ends the command with the API's error. */
  String expectOk(String method, String path, byte[] body) {
    ApiResponse response = send(method, path, body);
    if (!response.successful()) {
      throw new CliException("HTTP " + response.status() + ": " + response.body(), 2);
    }
    return response.body();
  }

  /** Deletes each named resource under a collection path, reporting each, stopping at the first refusal. */
  void deleteEach(String collection, Iterable<String> names) {
    for (String name : names) {
      expectOk("DELETE", collection + "/" + name, null);
      System.out.println("deleted " + name);
    }
  }

  private FaascellClient client() {
    if (client == null) {
      // a snapshot or a first boot can take minutes: the CLI waits as long as the daemon works
      client = FaascellClient.to(url).connectTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofMinutes(20))
          .token(token).build();
    }
    return client;
  }
}
