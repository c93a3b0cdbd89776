package dev.faascell.vmm.qemu;

import dev.faascell.network.NetworkAttachment;
import dev.faascell.vmm.MemoryBacking;
import dev.faascell.vmm.SnapshotFiles;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmmException;
import dev.faascell.vmm.cgroups.Cgroups;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One QEMU process and its run directory. */
final class QemuVm implements VmInstance {
  private static final int DIAGNOSTIC_BYTES = 1500;

  private final String id;
  private final Process process;
  private final Path dir;
  private final CompletableFuture<Integer> exited;
  private final MemoryBacking memory;
  private final Cgroups.Placement cgroup;
  private final Jail jail;
  private final VmDirectories directories;
  private final Optional<NetworkAttachment> network;

  QemuVm(String id, Process process, Path dir, MemoryBacking memory, Cgroups.Placement cgroup, Jail jail,
         VmDirectories directories, Optional<NetworkAttachment> network) {
    this.network = network;
    this.id = id;
    this.process = process;
    this.dir = dir;
    this.memory = memory;
    this.cgroup = cgroup;
    this.jail = jail;
    this.directories = directories;
    this.exited = process.onExit().thenApply(Process::exitValue);
  }

  /**
   * Where a jailed QEMU lives after start-up: its uid, and the directory it is chrooted into, the only
   * one it can reach, where the daemon and QEMU meet for migration streams. Unjailed, that is the VM's
   * directory and QEMU keeps the daemon's uid (-1).
   */
  record Jail(int uid, Path root) {
    /** The path QEMU uses for a file in its root. */
    String qemuPath(Path hostPath) {
      return uid < 0 ? hostPath.toString() : "/" + root.relativize(hostPath);
    }

    /** Lets the jail's uid use a socket the daemon made (connecting needs write permission on it). */
    void admit(Path socket) throws IOException {
      if (uid >= 0) {
        Files.setAttribute(socket, "unix:uid", uid);
        Files.setAttribute(socket, "unix:gid", uid);
      }
    }
  }

  Jail jail() {
    return jail;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public NetworkAttachment.Traffic networkTraffic() {
    return network.map(NetworkAttachment::traffic).orElse(NetworkAttachment.Traffic.NONE);
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

  /**
   * stop → migrate the device state (and for FULL, the RAM) to a file over a Unix socket → for
   * SHARED_RAM copy the RAM file while the guest is still paused → cont. The copy is what makes the
   * snapshot immutable: the source keeps running on its own file, clones map the copy private.
   */
  @Override
  public SnapshotFiles snapshot(Path target, SnapshotFormat format) throws VmmException {
    SnapshotFiles files = SnapshotFiles.in(target, format);
    if (format == SnapshotFormat.SHARED_RAM && !(memory instanceof MemoryBacking.SharedFile)) {
      throw new VmmException("a shared-ram snapshot needs a VM whose RAM is a shared file");
    }
    try (QmpClient qmp = QmpClient.connect(qmpSocket(), Duration.ofSeconds(10), this::isAlive)) {
      qmp.execute("stop");
      try {
        qmp.execute("migrate-set-capabilities", Map.of("capabilities",
            List.of(Map.of("capability", "x-ignore-shared", "state", format == SnapshotFormat.SHARED_RAM))));
        Path socket = jail.root().resolve("snapshot.sock");
        CompletableFuture<Long> written = MigrationStreams.receive(socket, files.state());
        jail.admit(socket);
        qmp.execute("migrate", Map.of("uri", "unix:" + jail.qemuPath(socket)));
        awaitMigration(qmp);
        written.get(60, TimeUnit.SECONDS);
        if (memory instanceof MemoryBacking.SharedFile shared && files.ram().isPresent()) {
          Files.copy(shared.file(), files.ram().get());
        }
      } finally {
        if (isAlive()) {
          qmp.execute("cont");
        }
      }
      return files;
    } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
      throw new VmmException("snapshot of " + id + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VmmException("interrupted while snapshotting " + id, e);
    }
  }

  private void awaitMigration(QmpClient qmp) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      var status = qmp.execute("query-migrate");
      switch (status.path("status").asText()) {
        case "completed":
          return;
        case "failed":
        case "cancelled":
          throw new IOException("migration " + status.path("status").asText() + ": " + status.path("error-desc").asText());
        default:
          QemuMicrovm.sleepBriefly();
      }
    }
    throw new IOException("the snapshot did not complete within 120 s");
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
    cleanUp();
  }

  @Override
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cleanUp();
  }

  /** After the process is gone: its cgroup and its directory. */
  private void cleanUp() {
    cgroup.remove();
    directories.delete(dir);
  }

  @Override
  public Map<String, String> limits() {
    return cgroup.limits();
  }

  @Override
  public long cpuNanos() {
    return cgroup.cpuUsageNanos();
  }

  @Override
  public long cpuThrottledNanos() {
    return cgroup.throttledNanos();
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
}
