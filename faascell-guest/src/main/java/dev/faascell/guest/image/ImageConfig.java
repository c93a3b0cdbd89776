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
 */
public record ImageConfig(Path cacheDir, String kernelPackage, Optional<Path> kernelDeb, Path python, Path busybox,
                          String cc) {}
