package dev.faascell.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every load benchmark shares: where guest images are cached, where the results go. */
final class LoadOptions {
  @Option(names = "--image-cache", defaultValue = "/var/tmp/faascell-test/images")
  Path imageCache;

  @Option(names = "--out", description = "write the results as JSON here")
  Path out;

  /** Writes {@code results} to --out, if given. */
  void write(Map<String, Object> results) throws IOException {
    if (out != null) {
      LoadNode.JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), results);
    }
  }
}
