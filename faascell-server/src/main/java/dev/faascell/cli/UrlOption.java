package dev.faascell.cli;

import picocli.CommandLine.Option;

/** {@code --url}: where the daemon's API is. */
final class UrlOption {
  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:FAASCELL_URL:-http://127.0.0.1:8080}",
      description = "the daemon's API (default: $FAASCELL_URL or ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:FAASCELL_API_TOKEN:-}",
      description = "the daemon's bearer token, if it requires one (default: $FAASCELL_API_TOKEN)")
  String token;

  ApiClient client() {
    return new ApiClient(url, token);
  }
}
