package dev.faascell.vmm.qemu;

import dev.faascell.network.GuestNetwork;
import dev.faascell.network.NetworkAttachment;
import dev.faascell.network.NetworkManager;
import dev.faascell.util.Command;
import dev.faascell.vmm.Accelerator;
import dev.faascell.vmm.MemoryBacking;
import dev.faascell.vmm.SnapshotFiles;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.vmm.VmRestore;
import dev.faascell.vmm.cgroups.CgroupSettings;
import dev.faascell.vmm.cgroups.Cgroups;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmLaunch;
import dev.faascell.vmm.Vmm;
import dev.faascell.vmm.VmmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VMM driver for QEMU's {@code microvm} machine: no PCI, no firmware, virtio-mmio devices found
 * through ACPI, the kernel booted directly (PVH entry for an ELF vmlinux). Each VM gets a directory
 * under the run dir holding its QMP and channel sockets, pid file and logs; it is removed with the VM.
 */
public final class QemuMicrovm implements Vmm {
  private static final Logger log = LoggerFactory.getLogger(QemuMicrovm.class);
  static final String PID_FILE = "qemu.pid";

  private final QemuConfig config;
  private final Cgroups cgroups;
  private final CgroupSettings limits;
  private final String version;
  private final int tscKhz;
  /** Every VM this driver started that has not exited, so that none can outlive the daemon. */
  private final Map<String, QemuVm> live = new ConcurrentHashMap<>();
  /** QEMU processes waiting for a snapshot's stream, and how many each snapshot wants. */
  private final Map<SnapshotFiles, Deque<Prepared>> ready = new ConcurrentHashMap<>();
  private final Map<SnapshotFiles, Integer> readyWanted = new ConcurrentHashMap<>();
  private final AtomicInteger prestarted = new AtomicInteger();
  private final JailUids jailUids;
  /** Namespaces for VMs with network; empty on a node that offers none. */
  private final Optional<NetworkManager> network;
  private final VmDirectories directories = new VmDirectories();
  /** Started with the first VM (a driver that only reaps an earlier daemon's VMs needs none). */
  private OrphanGuard orphans;
  private final ScheduledThreadPoolExecutor prestarter = new ScheduledThreadPoolExecutor(1, runnable -> {
    Thread thread = new Thread(runnable, "faascell-prestart");
    thread.setDaemon(true);
    return thread;
  });
  /** When the last restore took a QEMU: refills wait until restores have paused for the refill delay. */
  private volatile long lastRestoreNanos;

  public QemuMicrovm(QemuConfig config) throws VmmException {
    this(config, Cgroups.NONE, null, Optional.empty());
  }

  /** A driver that puts each QEMU process into its own cgroup with the limits {@code limits} gives. */
  public QemuMicrovm(QemuConfig config, Cgroups cgroups, CgroupSettings limits) throws VmmException {
    this(config, cgroups, limits, Optional.empty());
  }

  /**
   * A driver that puts each QEMU process into its own cgroup with the limits {@code limits} gives, and
   * each VM with network into a namespace {@code network} makes.
   */
  public QemuMicrovm(QemuConfig config, Cgroups cgroups, CgroupSettings limits, Optional<NetworkManager> network)
      throws VmmException {
    this.config = config;
    this.network = network;
    this.cgroups = cgroups;
    this.limits = limits;
    try {
      Files.createDirectories(config.runDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      String banner = Command.of(config.binary(), "--version").run();
      this.version = banner.lines().findFirst().orElse("unknown").replaceFirst("^QEMU emulator version ", "");
    } catch (IOException e) {
      throw new VmmException("QEMU (" + config.binary() + ") is not usable: " + e.getMessage()
          + ". Run scripts/install-deps.sh", e);
    }
    this.tscKhz = hostTscKhz();
    this.jailUids = jailUids(config);
    prestarter.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Only root can hand QEMU another uid; anyone else runs it with their own, as before. */
  private static JailUids jailUids(QemuConfig config) {
    if (config.jailUids() == 0) {
      return JailUids.none();
    }
    try {
      if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) {
        log.warn("event=vmm-jail-off reason=\"the daemon is not root, so QEMU runs with its uid and root directory\"");
        return JailUids.none();
      }
    } catch (IOException | UnsupportedOperationException e) {
      log.warn("event=vmm-jail-off reason=\"cannot tell the daemon's uid: {}\"", e.getMessage());
      return JailUids.none();
    }
    return new JailUids(config.jailLeaseDir(), config.jailFirstUid(), config.jailUids());
  }

  /** The QEMU version, part of a snapshot's compatibility key. */
  public String version() {
    return version;
  }

  public Accelerator accelerator() {
    return config.accelerator();
  }

  @Override
  public String describe() {
    return "qemu-microvm " + version + " (" + config.accelerator().wireName() + ")";
  }

  /** How VMs are limited, for logs and status. */
  public String cgroupsDescription() {
    return cgroups.describe();
  }

  @Override
  public VmInstance launch(VmLaunch launch) throws VmmException {
    return start(launch, false);
  }

  /**
   * Runs a QEMU kept ready for this snapshot (its device state already loaded, so only {@code cont} is
   * left), or, with none ready, starts one and loads the snapshot first.
   */
  @Override
  public VmInstance restore(VmRestore restore) throws VmmException {
    lastRestoreNanos = System.nanoTime();
    Prepared prepared = takeReady(restore.snapshot());
    if (prepared != null) {
      try {
        return run(prepared, restore);
      } catch (VmmException e) {
        log.info("event=prestarted-restore-failed vm={} reason=\"{}\" action=fresh-start", prepared.vm().id(), e.getMessage());
      } finally {
        refill(restore);
      }
    }
    return run(prepare(restore), restore);
  }

  /**
   * A QEMU process started paused with {@code -incoming defer}, its QMP connected and the snapshot's
   * device state loaded: the guest runs at its {@code cont}.
   */
  private record Prepared(QemuVm vm, QmpClient qmp) {
    /** Not needed after all: its QMP connection closed, its QEMU killed. */
    void discard() {
      qmp.close();
      vm.kill();
    }
  }

  /**
   * Starts QEMU waiting for an incoming migration and feeds it the snapshot's stream over a Unix socket
   * (no exec: migration, so the seccomp sandbox can forbid spawning). The RAM file is mapped private, so
   * a SHARED_RAM snapshot's pages are read as the guest touches them, not here.
   */
  private Prepared prepare(VmRestore restore) throws VmmException {
    QemuVm vm = start(restore.launch(), true);
    QmpClient qmp = null;
    try {
      qmp = QmpClient.connect(vm.qmpSocket(), Duration.ofSeconds(10), vm::isAlive);
      if (restore.snapshot().format() == SnapshotFormat.SHARED_RAM) {
        qmp.execute("migrate-set-capabilities", Map.of("capabilities",
            List.of(Map.of("capability", "x-ignore-shared", "state", true))));
      }
      Path incoming = vm.jail().root().resolve("incoming.sock");
      qmp.execute("migrate-incoming", Map.of("uri", "unix:" + vm.jail().qemuPath(incoming)));
      MigrationStreams.send(restore.snapshot().state(), incoming, Duration.ofSeconds(10), vm::isAlive);
      awaitLoaded(qmp, vm, Duration.ofSeconds(60));
      return new Prepared(vm, qmp);
    } catch (IOException | RuntimeException e) {
      if (qmp != null) {
        qmp.close();
      }
      throw failed(vm, restore, "loading the snapshot", e);
    }
  }

  /** Lets the loaded guest run. */
  private VmInstance run(Prepared prepared, VmRestore restore) throws VmmException {
    try (QmpClient qmp = prepared.qmp()) {
      qmp.execute("cont");
      return prepared.vm();
    } catch (IOException | RuntimeException e) {
      throw failed(prepared.vm(), restore, "resuming the loaded snapshot", e);
    }
  }

  private static VmmException failed(QemuVm vm, VmRestore restore, String step, Exception e) {
    String diagnostics = vm.diagnostics();
    vm.kill();
    return new VmmException("restoring " + restore.vmId() + " failed " + step + ": " + e.getMessage()
        + (diagnostics.isBlank() ? "" : " [" + diagnostics + "]"), e);
  }

  @Override
  public void keepRestoresReady(VmRestore template, int count) {
    if (count <= 0) {
      readyWanted.remove(template.snapshot());
      Deque<Prepared> queue = ready.remove(template.snapshot());
      if (queue != null) {
        queue.forEach(Prepared::discard);
      }
      return;
    }
    readyWanted.put(template.snapshot(), count);
    prestarter.execute(() -> fill(template));
  }

  @Override
  public int restoresReady(SnapshotFiles snapshot) {
    Deque<Prepared> queue = ready.get(snapshot);
    return queue == null ? 0 : (int) queue.stream().filter(p -> p.vm().isAlive()).count();
  }

  private Prepared takeReady(SnapshotFiles snapshot) {
    Deque<Prepared> queue = ready.get(snapshot);
    for (Prepared p = queue == null ? null : queue.pollFirst(); p != null; p = queue.pollFirst()) {
      if (p.vm().isAlive()) {
        return p;
      }
      p.discard();
    }
    return null;
  }

  /**
   * Replaces a QEMU a restore took, once restores have paused for the refill delay: starting and loading
   * one costs about as much CPU as the restore itself, which a burst of restores needs more.
   */
  private void refill(VmRestore template) {
    prestarter.schedule(() -> fill(template), config.prestartRefillDelay().toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Starts waiting VMMs in the background until the wanted number for this snapshot is ready, pausing
   * while restores are under way.
   */
  private void fill(VmRestore template) {
    int wanted = readyWanted.getOrDefault(template.snapshot(), 0);
    Deque<Prepared> queue = ready.computeIfAbsent(template.snapshot(), k -> new ConcurrentLinkedDeque<>());
    while (queue.size() < wanted && readyWanted.containsKey(template.snapshot())) {
      long untilQuiet = config.prestartRefillDelay().toNanos() - (System.nanoTime() - lastRestoreNanos);
      if (untilQuiet > 0) {
        prestarter.schedule(() -> fill(template), untilQuiet, TimeUnit.NANOSECONDS);
        return;
      }
      try {
        queue.add(prepare(new VmRestore("pre-" + prestarted.incrementAndGet(), template.image(),
            template.memoryMb(), template.vcpus(), template.snapshot(), template.network())));
      } catch (VmmException e) {
        log.warn("event=prestart-failed reason=\"{}\"", e.getMessage());
        return;
      }
    }
    if (!readyWanted.containsKey(template.snapshot())) {
      // let go while one was starting: the queue it joined may already be out of the map
      ready.remove(template.snapshot(), queue);
      queue.forEach(Prepared::discard);
    }
  }


  /** The incoming stream is loaded once the migration completed; the guest stays paused (-S) until {@code cont}. */
  private static void awaitLoaded(QmpClient qmp, QemuVm vm, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String migration = qmp.execute("query-migrate").path("status").asText();
      if (migration.equals("completed")) {
        return;
      }
      if (migration.equals("failed")) {
        throw new IOException("QEMU could not load the snapshot");
      }
      if (!vm.isAlive()) {
        throw new IOException("QEMU exited while loading the snapshot");
      }
      sleepBriefly();
    }
    throw new IOException("the snapshot did not load within " + timeout.toSeconds() + " s");
  }

  static void sleepBriefly() throws IOException {
    try {
      Thread.sleep(0, 500_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private QemuVm start(VmLaunch launch, boolean incoming) throws VmmException {
    directories.retryUndeleted();
    Path dir = config.runDir().resolve(launch.vmId());
    int uid = -1;
    Optional<NetworkAttachment> attachment = Optional.empty();
    try {
      if (Files.exists(dir)) {
        throw new VmmException("VM directory " + dir + " already exists");
      }
      attachment = attachNetwork(launch);
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      QemuVm.Jail jail = jail(dir);
      uid = jail.uid();
      List<String> argv = commandLine(launch, dir, jail, attachment);
      if (incoming) {
        // paused (-S) once the stream is in, so that a QEMU kept ready holds a loaded guest that has not run
        argv.addAll(List.of("-S", "-incoming", "defer"));
      }
      log.debug("event=vmm-launch vm={} argv=\"{}\"", launch.vmId(), String.join(" ", argv));
      Process process = new ProcessBuilder(argv)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("qemu.log").toFile()))
          .redirectErrorStream(true)
          .start();
      Cgroups.Placement placement;
      try {
        placement = limits == null ? Cgroups.NONE.place(launch.vmId(), process.pid(), null)
            : cgroups.place(launch.vmId(), process.pid(), limits.limitsFor(launch.memoryMb(), launch.vcpus()));
      } catch (IOException e) {
        process.destroyForcibly().waitFor();
        throw new IOException("cannot put QEMU into its cgroup: " + e.getMessage(), e);
      }
      QemuVm vm = new QemuVm(launch.vmId(), process, dir, launch.memory(), placement, jail, directories, attachment);
      live.put(vm.id(), vm);
      // when the host runs out of memory, a VM goes first: its invocation fails, the node serves on
      OrphanGuard.OomScore.set(process.pid(), OrphanGuard.OomScore.FIRST);
      OrphanGuard guard = orphanGuard();
      guard.watch(process.pid());
      int vmUid = uid;
      Optional<NetworkAttachment> vmNetwork = attachment;
      vm.exited().whenComplete((code, error) -> {
        live.remove(vm.id());
        guard.release(process.pid());
        releaseUid(vmUid);
        releaseNetwork(vmNetwork);
      });
      return vm;
    } catch (IOException e) {
      releaseUid(uid);
      releaseNetwork(attachment);
      directories.delete(dir);
      throw new VmmException("cannot start QEMU for " + launch.vmId() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      releaseUid(uid);
      releaseNetwork(attachment);
      directories.delete(dir);
      throw new VmmException("interrupted while starting QEMU for " + launch.vmId(), e);
    }
  }

  /** The VM's own namespace with its function's rules, if it has network; none is made otherwise. */
  private Optional<NetworkAttachment> attachNetwork(VmLaunch launch) throws VmmException {
    if (!launch.network().hasNetwork()) {
      return Optional.empty();
    }
    if (network.isEmpty()) {
      throw new VmmException("VM " + launch.vmId() + " needs network " + launch.network().mode().wireName()
          + ", and this node's VMM driver has no NetworkManager");
    }
    try {
      return Optional.of(network.get().attach(launch.vmId(), launch.network()));
    } catch (IOException e) {
      throw new VmmException("cannot set up the network of " + launch.vmId() + ": " + e.getMessage(), e);
    }
  }

  private void releaseNetwork(Optional<NetworkAttachment> attachment) {
    attachment.ifPresent(a -> network.ifPresent(manager -> manager.release(a)));
  }

  private synchronized OrphanGuard orphanGuard() throws IOException {
    if (orphans == null) {
      orphans = OrphanGuard.start();
    }
    return orphans;
  }

  /**
   * A uid of its own for the VM's QEMU and, in its directory, the root it is chrooted into: owned by
   * that uid, since an incoming migration's socket is made by QEMU after it dropped privileges.
   */
  private QemuVm.Jail jail(Path dir) throws IOException {
    if (!jailUids.enabled()) {
      return new QemuVm.Jail(-1, dir);
    }
    int uid = jailUids.acquire().orElseThrow(
        () -> new IOException("all " + config.jailUids() + " jail uids run a VM on this host (faascell.vmm.jail.uids, leased in "
            + config.jailLeaseDir() + ")"));
    try {
      Path root = Files.createDirectory(dir.resolve("root"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Files.setAttribute(root, "unix:uid", uid);
      Files.setAttribute(root, "unix:gid", uid);
      return new QemuVm.Jail(uid, root);
    } catch (IOException | RuntimeException e) {
      jailUids.release(uid);
      throw e;
    }
  }

  private void releaseUid(int uid) {
    if (uid >= 0) {
      jailUids.release(uid);
    }
  }

  List<String> commandLine(VmLaunch launch, Path dir, QemuVm.Jail jail, Optional<NetworkAttachment> attachment) {
    List<String> argv = new ArrayList<>();
    // QEMU runs in the VM's namespace (nsenter execs it: the pid is QEMU's), where it opens the tap as
    // root before it drops to its jail uid; jailed, it can open no other tap and change no network
    attachment.ifPresent(a -> argv.addAll(List.of("nsenter", "--net=" + a.namespacePath())));
    argv.addAll(List.of(
        config.binary(),
        "-name", "faascell-" + launch.vmId(),
        "-machine", "microvm,x-option-roms=off,pit=off,pic=off,isa-serial=on,rtc=on,memory-backend=mem"));
    if (config.accelerator() == Accelerator.KVM) {
      argv.addAll(List.of("-accel", "kvm", "-cpu", "host"));
    } else {
      argv.addAll(List.of("-accel", "tcg,tb-size=" + config.tcgTbSizeMb(), "-cpu", "max"));
    }
    argv.addAll(List.of(
        "-m", launch.memoryMb() + "M",
        "-smp", Integer.toString(launch.vcpus()),
        "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
        "-kernel", launch.image().kernel().toString(),
        "-initrd", launch.image().initrd().toString(),
        "-append", kernelCommandLine(),
        "-drive", "file=" + launch.image().rootfs() + ",format=raw,if=none,readonly=on,id=root",
        "-device", "virtio-blk-device,drive=root",
        "-device", "virtio-serial-device",
        "-chardev", "socket,path=" + dir.resolve("chan.sock") + ",server=on,wait=off,id=agent",
        "-device", "virtserialport,chardev=agent,name=dev.faascell.agent",
        "-object", "rng-random,id=rng,filename=/dev/urandom",
        "-device", "virtio-rng-device,rng=rng",
        "-serial", "file:" + dir.resolve("console.log"),
        "-qmp", "unix:" + dir.resolve("qmp.sock") + ",server=on,wait=off",
        "-pidfile", dir.resolve(PID_FILE).toString()));
    attachment.ifPresent(a -> argv.addAll(List.of(
        "-netdev", "tap,id=net0,ifname=" + GuestNetwork.TAP + ",script=no,downscript=no,vhost=off",
        // no guest announcement after a restore: nothing on the other side of the tap learns MACs, and
        // the guest would spend the clone's first moments sending gratuitous ARPs
        "-device", "virtio-net-device,netdev=net0,guest_announce=off,mac=" + GuestNetwork.GUEST_MAC)));
    argv.addAll(List.of("-object", memoryBackend(launch),
        // a snapshot carries no run state, so its clones start running as soon as they are loaded
        "-global", "migration.store-global-state=off"));
    if (config.sandbox()) {
      // QEMU installs its filter before it drops to the jail's uid, so a jailed QEMU must be allowed the
      // set*id calls of that drop; afterwards they cannot give back what was dropped
      argv.addAll(List.of("-sandbox", "on,obsolete=deny,spawn=deny,resourcecontrol=deny,elevateprivileges="
          + (jail.uid() >= 0 ? "allow" : "deny")));
    }
    if (jail.uid() >= 0) {
      // every file QEMU needs is open before it drops privileges; afterwards it reaches nothing but the
      // empty root the daemon made for it, not even its own VM directory
      argv.addAll(List.of("-runas", jail.uid() + ":" + jail.uid(), "-chroot", jail.root().toString()));
    }
    return argv;
  }

  /** Every VM's RAM is the backend "mem", so that any snapshot's RAM block matches any VM's. */
  private static String memoryBackend(VmLaunch launch) {
    String size = ",size=" + launch.memoryMb() + "M";
    MemoryBacking memory = launch.memory();
    if (memory instanceof MemoryBacking.SharedFile shared) {
      return "memory-backend-file,id=mem" + size + ",mem-path=" + shared.file() + ",share=on";
    }
    if (memory instanceof MemoryBacking.PrivateFile snapshot) {
      return "memory-backend-file,id=mem" + size + ",mem-path=" + snapshot.file() + ",share=off";
    }
    return "memory-backend-ram,id=mem" + size;
  }

  private String kernelCommandLine() {
    StringBuilder cmdline = new StringBuilder("console=ttyS0 quiet panic=-1 pci=off");
    if (config.accelerator() == Accelerator.TCG) {
      // TCG offers no reference to calibrate the TSC against; without this the boot can hang
      cmdline.append(" tsc_early_khz=").append(tscKhz);
      // TCG's TSC follows the host's clock. Trusted, it is the guest's clocksource with high-resolution
      // timers, so an idle guest stops its 250 Hz tick (37 instead of 1265 timer interrupts in 5 s):
      // most of what an idle VM costs the host's CPU under TCG, and a guest clock finer than 4 ms
      cmdline.append(" tsc=reliable");
    }
    if (!config.kernelArgs().isBlank()) {
      cmdline.append(' ').append(config.kernelArgs().strip());
    }
    return cmdline.toString();
  }

  private static int hostTscKhz() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("cpu MHz")) {
          return (int) (Double.parseDouble(line.substring(line.indexOf(':') + 1).strip()) * 1000);
        }
      }
    } catch (IOException | NumberFormatException e) {
      log.warn("event=tsc-unknown reason=\"{}\"", e.getMessage());
    }
    return 2_000_000;
  }

  @Override
  public void killAll() {
    readyWanted.clear();
    // a prestart under way finishes, finds nothing wanted any more and kills what it started
    prestarter.shutdown();
    try {
      prestarter.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Deque<Prepared> queue : ready.values()) {
      queue.forEach(p -> {
        p.discard();
        live.remove(p.vm().id());
      });
    }
    ready.clear();
    for (QemuVm vm : List.copyOf(live.values())) {
      log.warn("event=vm-outlived-worker vm={} action=kill", vm.id());
      vm.kill();
    }
    directories.retryUndeleted();
    cgroups.removeParent();
    network.ifPresent(NetworkManager::close);
    synchronized (this) {
      if (orphans != null) {
        orphans.close();
      }
    }
  }

  /**
   * Removes what an earlier daemon left in the run dir: kills its QEMU processes (only those whose
   * command line names that VM's directory, so a recycled pid is never killed) and deletes the
   * directories. Returns how many VMs were reaped.
   */
  public int reapStale() {
    int reaped = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(config.runDir(), Files::isDirectory)) {
      for (Path dir : dirs) {
        staleProcess(dir).ifPresent(process -> {
          process.destroyForcibly();
          process.onExit().join();
        });
        directories.delete(dir);
        reaped++;
      }
    } catch (IOException e) {
      log.warn("event=reap-failed dir={} reason=\"{}\"", config.runDir(), e.getMessage());
    }
    if (reaped > 0) {
      log.info("event=reaped-stale-vms count={} dir={}", reaped, config.runDir());
    }
    cgroups.removeStale();
    // after the VMMs: a namespace goes once no process is left in it
    network.ifPresent(NetworkManager::reapStale);
    return reaped;
  }

  private static Optional<ProcessHandle> staleProcess(Path dir) {
    try {
      long pid = Long.parseLong(Files.readString(dir.resolve(PID_FILE)).strip());
      return ProcessHandle.of(pid).filter(p -> cmdline(pid).contains(dir.toString()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
