package dev.faascell.guest.image;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the image builder finds its inputs and keeps its output (faascell.image in reference.conf).
 *
 * @param cacheDir      built images, one directory per input digest, and downloaded kernel packages
 * @param kernelPackage the Debian package of the guest kernel; a meta package is resolved to the
 *                      versioned package it depends on
 * @param kernelDeb     a kernel .deb to use instead of downloading one
 * @param agentSource   another guest agent's C source instead of the built-in one (hostile-guest tests)
 */
public record ImageConfig(Path cacheDir, String kernelPackage, Optional<Path> kernelDeb, Path python, Path busybox,
                          String cc, Optional<Path> agentSource) {
  public ImageConfig(Path cacheDir, String kernelPackage, Optional<Path> kernelDeb, Path python, Path busybox, String cc) {
    this(cacheDir, kernelPackage, kernelDeb, python, busybox, cc, Optional.empty());
  }

  /** The same inputs with another agent. */
  public ImageConfig withAgent(Path source) {
    return new ImageConfig(cacheDir, kernelPackage, kernelDeb, python, busybox, cc, Optional.of(source));
  }
}
