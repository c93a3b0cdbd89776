package dev.faascell.guest.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The guest image builder, on the host's real packages. */
class ImageBuilderIT {
  @Test
  void buildsAnImageWithKernelInitramfsAndRoot() throws Exception {
    GuestImage image = TestImages.ensure();
    assertThat(image.kernel()).isRegularFile();
    assertThat(image.rootfs()).isRegularFile();
    assertThat(image.kernelRelease()).contains("cloud-amd64");
    String initrd = unpackNames(image);
    assertThat(initrd).contains("sbin/faascell-agent", "init", "bin/busybox", "lib/modules/virtio_console.ko",
        "lib/modules/virtio_blk.ko", "dev/console");
  }

  @Test
  void anUnchangedSetOfInputsIsNotRebuilt() throws Exception {
    GuestImage first = TestImages.ensure();
    long modified = Files.getLastModifiedTime(first.rootfs()).toMillis();
    GuestImage again = new ImageBuilder(TestImages.config(), BuildProgress.SILENT).ensure();
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(Files.getLastModifiedTime(again.rootfs()).toMillis()).isEqualTo(modified);
  }

  @Test
  void aMissingToolIsNamedInTheError() {
    var broken = new ImageConfig(TestImages.CACHE, "linux-image-cloud-amd64", java.util.Optional.empty(),
        java.nio.file.Path.of("/nonexistent/python3"), java.nio.file.Path.of("/usr/bin/node"),
        java.nio.file.Path.of("/bin/busybox"), "gcc");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ImageBuilder(broken, BuildProgress.SILENT).ensure())
        .isInstanceOf(ImageBuildException.class).hasMessageContaining("/nonexistent/python3");
  }

  /** The names in the initramfs (a gzipped newc cpio): enough to see what went in. */
  private static String unpackNames(GuestImage image) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(image.initrd()))) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
