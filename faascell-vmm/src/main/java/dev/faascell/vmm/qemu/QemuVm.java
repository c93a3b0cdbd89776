package dev.faascell.vmm.qemu;

import dev.faascell.vmm.VmInstance;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** One QEMU process and its run directory. */
final class QemuVm implements VmInstance {
  private static final int DIAGNOSTIC_BYTES = 1500;

  private final String id;
  private final Process process;
  private final Path dir;
  private final CompletableFuture<Integer> exited;

  QemuVm(String id, Process process, Path dir) {
    this.id = id;
    this.process = process;
    this.dir = dir;
    this.exited = process.onExit().thenApply(Process::exitValue);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public Path channelSocket() {
    return dir.resolve("chan.sock");
  }

  Path qmpSocket() {
    return dir.resolve("qmp.sock");
  }

  @Override
  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public CompletableFuture<Integer> exited() {
    return exited;
  }

  @Override
  public void stop(long graceMillis) {
    process.destroy();   // SIGTERM: QEMU shuts the guest down and exits
    try {
      if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteDirectory(dir);
  }

  @Override
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteDirectory(dir);
  }

  @Override
  public String diagnostics() {
    String console = tail(dir.resolve("console.log"));
    String qemu = tail(dir.resolve("qemu.log"));
    StringBuilder out = new StringBuilder();
    if (!console.isBlank()) {
      out.append("guest console: ").append(console.strip());
    }
    if (!qemu.isBlank()) {
      out.append(out.length() > 0 ? "; " : "").append("qemu: ").append(qemu.strip());
    }
    return out.toString();
  }

  private static String tail(Path file) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, in.length() - DIAGNOSTIC_BYTES);
      byte[] bytes = new byte[(int) (in.length() - start)];
      in.seek(start);
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  static void deleteDirectory(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // nothing left to do; the next start's reapStale tries again
    }
  }
}
