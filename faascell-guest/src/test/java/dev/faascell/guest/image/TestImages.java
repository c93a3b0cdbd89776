package dev.faascell.guest.image;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The guest image every real-VM test boots: built once from the host's packages and cached by the
 * digest of its inputs (in /var/tmp/faascell-test/images, or -Dfaascell.test.image-cache).
 */
public final class TestImages {
  public static final Path CACHE = Path.of(System.getProperty("faascell.test.image-cache", "/var/tmp/faascell-test/images"));
  private static GuestImage image;

  private TestImages() {
  }

  public static synchronized GuestImage ensure() throws ImageBuildException {
    if (image == null) {
      image = new ImageBuilder(config(), (step, steps, what) -> System.err.printf("[image %d/%d] %s%n", step, steps, what))
          .ensure();
    }
    return image;
  }

  public static ImageConfig config() {
    return new ImageConfig(CACHE, "linux-image-cloud-amd64", Optional.empty(), Path.of("/usr/bin/python3"),
        Path.of("/usr/bin/node"), Path.of("/bin/busybox"), "gcc");
  }
}
