package dev.faascell.guest.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a "newc" cpio archive — the format the Linux kernel unpacks as an initramfs. Written here
 * rather than by the cpio tool so that entries (device nodes, owners) need no root privileges and the
 * archive is byte-for-byte reproducible.
 */
final class CpioArchive implements AutoCloseable {
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFCHR = 0020000;

  private final OutputStream out;
  private long written;
  private int inode = 1;

  CpioArchive(OutputStream out) {
    this.out = out;
  }

  void directory(String path, int permissions) throws IOException {
    entry(path, S_IFDIR | permissions, 0, 0, new byte[0]);
  }

  void file(String path, int permissions, byte[] content) throws IOException {
    entry(path, S_IFREG | permissions, 0, 0, content);
  }

  void symlink(String path, String target) throws IOException {
    entry(path, S_IFLNK | 0777, 0, 0, target.getBytes(StandardCharsets.UTF_8));
  }

  void characterDevice(String path, int permissions, int major, int minor) throws IOException {
    entry(path, S_IFCHR | permissions, major, minor, new byte[0]);
  }

  private void entry(String path, int mode, int rdevMajor, int rdevMinor, byte[] content) throws IOException {
    byte[] name = (path + "\0").getBytes(StandardCharsets.UTF_8);
    String header = "070701"
        + hex(inode++) + hex(mode) + hex(0) + hex(0) + hex(1) + hex(0)
        + hex(content.length) + hex(0) + hex(0) + hex(rdevMajor) + hex(rdevMinor)
        + hex(name.length) + hex(0);
    write(header.getBytes(StandardCharsets.US_ASCII));
    write(name);
    pad();
    write(content);
    pad();
  }

  private static String hex(int value) {
    return String.format("%08x", value);
  }

  private void write(byte[] bytes) throws IOException {
    out.write(bytes);
    written += bytes.length;
  }

  private void pad() throws IOException {
    while (written % 4 != 0) {
      out.write(0);
      written++;
    }
  }

  @Override
  public void close() throws IOException {
    entry("TRAILER!!!", 0, 0, 0, new byte[0]);
    out.close();
  }
}
