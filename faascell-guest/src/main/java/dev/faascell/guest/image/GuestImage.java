package dev.faascell.guest.image;

import java.nio.file.Path;

/**
 * A built guest image: the kernel, the initramfs (busybox, virtio modules, the agent) and the
 * read-only root disk with the language runtimes. {@code id} is the digest of every input, so a VM
 * or snapshot records exactly which image it ran.
 */
public record GuestImage(String id, Path directory, Path kernel, Path initrd, Path rootfs, String kernelRelease) {}
