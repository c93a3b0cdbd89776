package dev.faascell.cli;

import picocli.CommandLine.Option;

/** {@code --url}: where the daemon's API is. */
final class UrlOption {
  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:FAASCELL_URL:-http://127.0.0.1:8080}",
      description = "the daemon's API (default: $FAASCELL_URL or ${DEFAULT-VALUE})")
  String url;

  ApiClient client() {
    return new ApiClient(url);
  }
}
