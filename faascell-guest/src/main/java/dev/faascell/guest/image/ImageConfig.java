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
 * @param python        the Python 3 interpreter the python runtime runs (with its standard library)
 * @param node          the Node.js binary the nodejs runtime runs (Debian's nodejs package)
 * @param agentSource   another guest agent's C source instead of the built-in one (hostile-guest tests)
 */
public record ImageConfig(Path cacheDir, String kernelPackage, Optional<Path> kernelDeb, Path python, Path node,
                          Path busybox, String cc, Optional<Path> agentSource) {
  public ImageConfig(Path cacheDir, String kernelPackage, Optional<Path> kernelDeb, Path python, Path node,
                     Path busybox, String cc) {
    this(cacheDir, kernelPackage, kernelDeb, python, node, busybox, cc, Optional.empty());
  }

  /** The same inputs with another agent. */
  public ImageConfig withAgent(Path source) {
    return new ImageConfig(cacheDir, kernelPackage, kernelDeb, python, node, busybox, cc, Optional.of(source));
  }
}
