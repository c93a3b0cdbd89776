package dev.faascell.testing;

import com.typesafe.config.ConfigFactory;
import dev.faascell.config.FaascellConfig;
import dev.faascell.guest.image.GuestImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Configurations for nodes started by tests: their own state and run dirs, an ephemeral port. */
public final class TestNodes {
  /** Guest images are cached across test runs (content-addressed, so never stale). */
  public static final Path IMAGE_CACHE = Path.of(System.getProperty("faascell.test.image-cache", "/var/tmp/faascell-test/images"));

  private TestNodes() {
  }

  /** A fresh directory under /tmp (short, for Unix socket paths). */
  public static Path tempDir(String prefix) throws IOException {
    return Files.createTempDirectory(Path.of("/tmp"), prefix);
  }

  /** The test's RAM-file directory (tmpfs), named after its directory and removed with it. */
  public static Path shmDir(Path dir) {
    return Path.of("/dev/shm").resolve(dir.getFileName());
  }

  public static FaascellConfig config(Path dir, Map<String, ?> overrides) {
    Map<String, Object> values = new java.util.HashMap<>(Map.of(
        "faascell.state-dir", dir.resolve("state").toString(),
        "faascell.run-dir", dir.resolve("run").toString(),
        "faascell.shm-dir", shmDir(dir).toString(),
        "faascell.cgroups.parent", dir.getFileName().toString(),
        "faascell.image.cache-dir", IMAGE_CACHE.toString(),
        "faascell.api.port", 0));
    values.putAll(overrides);
    return FaascellConfig.from(ConfigFactory.parseMap(values));
  }

  /** An image for nodes whose VMM is the in-memory double, which never reads one. */
  public static GuestImage fakeImage(Path dir) {
    Path none = dir.resolve("none");
    return new GuestImage("fake", dir, none, none, none, "fake");
  }

  public static void delete(Path dir) throws IOException {
    TempDirs.deleteTrees(dir, shmDir(dir));
  }
}
