package dev.faascell.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.util.Command;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The AWS SDK for JavaScript v3 ({@code @aws-sdk/client-lambda} from npm, pinned in
 * src/test/resources/lambda-sdk/package.json), run by the machine's Node.js through a small driver
 * script: a client nobody here wrote. Installed once by npm into a cache directory kept across test
 * runs (keyed by the package.json, so a new pin installs afresh).
 */
public final class AwsSdk {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CACHE = Path.of(System.getProperty("faascell.test.npm-cache", "/var/tmp/faascell-test/aws-sdk"));

  private final Path directory;
  private final String endpoint;
  private final String accessKeyId;
  private final String secretAccessKey;

  private AwsSdk(Path directory, String endpoint, String accessKeyId, String secretAccessKey) {
    this.directory = directory;
    this.endpoint = endpoint;
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
  }

  /** The SDK, installed if it is not yet, as a client of {@code endpoint} signing with this key. */
  public static AwsSdk install(String endpoint, String accessKeyId, String secretAccessKey) throws IOException {
    byte[] packageJson = resource("package.json");
    Path directory = CACHE.resolve(Integer.toHexString(java.util.Arrays.hashCode(packageJson)));
    if (!Files.isRegularFile(directory.resolve("node_modules/@aws-sdk/client-lambda/package.json"))) {
      Files.createDirectories(directory);
      Files.write(directory.resolve("package.json"), packageJson);
      Command.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error").in(directory)
          .timeout(Duration.ofMinutes(10)).run();
    }
    // next to node_modules, where Node.js resolves the driver's imports
    Files.write(directory.resolve("driver.mjs"), resource("driver.mjs"));
    return new AwsSdk(directory, endpoint, accessKeyId, secretAccessKey);
  }

  /** The same SDK with another key. */
  public AwsSdk withKey(String otherKeyId, String otherSecret) {
    return new AwsSdk(directory, endpoint, otherKeyId, otherSecret);
  }

  /** Runs one driver command ({"op": ..., ...}); answers {"result": ...} or {"error": {name, status, ...}}. */
  public JsonNode run(ObjectNode command) {
    try {
      Path file = Files.createTempFile(directory, "command-", ".json");
      try {
        Files.write(file, JSON.writeValueAsBytes(command));
        String out = Command.of("node", directory.resolve("driver.mjs").toString(), endpoint, accessKeyId, secretAccessKey,
            file.toString()).timeout(Duration.ofMinutes(5)).run();
        return JSON.readTree(out.lines().reduce((first, last) -> last).orElse("{}"));
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static ObjectNode command(String op) {
    return JSON.createObjectNode().put("op", op);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = AwsSdk.class.getResourceAsStream("/lambda-sdk/" + name)) {
      if (in == null) {
        throw new IOException("test resource lambda-sdk/" + name + " is missing");
      }
      return in.readAllBytes();
    }
  }
}
