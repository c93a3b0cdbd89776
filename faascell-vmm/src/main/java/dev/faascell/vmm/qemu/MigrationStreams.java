package dev.faascell.vmm.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Moves QEMU migration streams between files and Unix sockets. QEMU's own exec: transport forks a
 * shell, which its seccomp sandbox forbids; over a socket, QEMU only reads or writes.
 */
final class MigrationStreams {
  private MigrationStreams() {
  }

  /** Listens on {@code socket} and writes the one stream QEMU sends there to {@code file}. */
  static CompletableFuture<Long> receive(Path socket, Path file) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    return CompletableFuture.supplyAsync(() -> {
      try (server; SocketChannel qemu = server.accept();
           FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        long total = 0;
        for (long n = out.transferFrom(qemu, total, 1 << 20); n > 0; n = out.transferFrom(qemu, total, 1 << 20)) {
          total += n;
        }
        out.force(true);
        return total;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } finally {
        try {
          Files.deleteIfExists(socket);
        } catch (IOException ignored) {
          // the VM's directory goes with the VM
        }
      }
    });
  }

  /** Connects to the socket QEMU listens on for an incoming migration and streams {@code file} into it. */
  static void send(Path file, Path socket, Duration timeout, BooleanSupplier qemuAlive) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (SocketChannel qemu = SocketChannel.open(UnixDomainSocketAddress.of(socket));
           FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = in.size();
        for (long sent = 0; sent < size; ) {
          sent += in.transferTo(sent, size - sent, qemu);
        }
        return;
      } catch (java.net.ConnectException | java.nio.file.NoSuchFileException e) {
        if (!qemuAlive.getAsBoolean() || System.nanoTime() > deadline || e instanceof java.nio.file.NoSuchFileException
            && e.getMessage().contains(file.toString())) {
          throw new IOException("cannot stream " + file + " into QEMU: " + e.getMessage(), e);
        }
        QemuMicrovm.sleepBriefly();
      }
    }
  }
}
