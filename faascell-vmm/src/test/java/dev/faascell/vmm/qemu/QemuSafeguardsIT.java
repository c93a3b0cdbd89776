package dev.faascell.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.guest.image.GuestImage;
import dev.faascell.guest.image.TestImages;
import dev.faascell.guest.protocol.AgentConnection;
import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.testing.TempDirs;
import dev.faascell.vmm.Accelerator;
import dev.faascell.vmm.MemoryBacking;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmLaunch;
import dev.faascell.vmm.cgroups.CgroupFs;
import dev.faascell.vmm.cgroups.CgroupSettings;
import dev.faascell.vmm.cgroups.VmLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel's view of running QEMU processes (/proc and the cgroup file system), not the driver's:
 * each is under QEMU's seccomp filter, chrooted into its VM's empty jail directory, running as a uid
 * of the jail range no other process on the host has, alone in a cgroup of its own with the
 * configured limits. Each check is also run against a QEMU started with its safeguard switched off in
 * configuration, and must then report the violation: none of them can pass by looking at nothing.
 */
class QemuSafeguardsIT {
  private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
  /** A range of its own, so that no other test's QEMU (nor a daemon's) can share a uid by design. */
  private static final int FIRST_UID = 260000;
  private static final int UIDS = 16;
  private static final int MEMORY_MB = 128;
  private static GuestImage image;
  private Path testDir;
  private CgroupSettings cgroupSettings;
  private final List<QemuMicrovm> drivers = new ArrayList<>();

  @BeforeAll
  static void buildImage() throws Exception {
    image = TestImages.ensure();
  }

  @BeforeEach
  void start() throws Exception {
    assertThat((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
        .as("only root can jail QEMU and make cgroups: run this test as root (CI does)").isZero();
    testDir = Files.createTempDirectory(Path.of("/tmp"), "fc-sg-");
    // a half-core quota, so that the configured limit cannot be mistaken for an unlimited default
    cgroupSettings = new CgroupSettings("on", testDir.getFileName().toString(), 0.5, Duration.ofMillis(100), 100, 128,
        "none", 0);
  }

  @AfterEach
  void stop() throws Exception {
    drivers.forEach(QemuMicrovm::killAll);
    TempDirs.deleteTrees(testDir);
  }

  /** A driver as a node would make it, every safeguard on or every one off; its run dir is its own. */
  private QemuMicrovm driver(String node, boolean safeguards) throws Exception {
    QemuConfig config = new QemuConfig("qemu-system-x86_64", Accelerator.choose("auto", Path.of("/")),
        testDir.resolve(node), "mitigations=off", safeguards, 64, FIRST_UID, safeguards ? UIDS : 0,
        testDir.resolve("jail-leases"), Duration.ZERO);
    CgroupSettings cgroups = safeguards ? cgroupSettings : withCgroups("off");
    QemuMicrovm driver = new QemuMicrovm(config, CgroupFs.detect(CGROUP_ROOT, cgroups), cgroups);
    drivers.add(driver);
    return driver;
  }

  private CgroupSettings withCgroups(String enabled) {
    CgroupSettings s = cgroupSettings;
    return new CgroupSettings(enabled, s.parent(), s.cpuQuotaPerVcpu(), s.cpuPeriod(), s.vmOverheadMb(),
        s.memoryHeadroomMb(), s.pinning(), s.nodeMemoryBytes());
  }

  private static VmInstance launch(QemuMicrovm driver, String id) throws Exception {
    return driver.launch(new VmLaunch(id, image, MEMORY_MB, 1, new MemoryBacking.Anonymous()));
  }

  @Test
  void twoNodesVmsAreEachSandboxedJailedUnderAUidOfTheirOwnAndInTheirOwnCgroup() throws Exception {
    // two drivers sharing the host's lease directory, as two nodes on one host do
    VmInstance a = launch(driver("node-a", true), "vm-a");
    VmInstance b = launch(driver("node-b", true), "vm-b");
    for (VmInstance vm : List.of(a, b)) {   // jailed, the guest still boots and talks to the host
      try (AgentConnection channel = AgentConnection.connect(vm.channelSocket(), Duration.ofSeconds(60), vm::isAlive,
          1 << 20)) {
        channel.send(new HostRequest.Hello());
        assertThat(channel.receive()).isInstanceOf(GuestReply.Ready.class);
      }
    }
    assertThat(violations(a, testDir.resolve("node-a"))).as("vm-a").isEmpty();
    assertThat(violations(b, testDir.resolve("node-b"))).as("vm-b").isEmpty();
    assertThat(uid(a.pid())).as("two nodes' VMs never share a uid").isNotEqualTo(uid(b.pid()));
  }

  @Test
  void everyCheckFailsOnAQemuWithItsSafeguardSwitchedOff() throws Exception {
    QemuMicrovm unguarded = driver("node-off", false);
    VmInstance vm = launch(unguarded, "vm-off");
    // QMP answers from QEMU's main loop, which starts after any privilege drop and chroot would have
    try (QmpClient qmp = QmpClient.connect(((QemuVm) vm).qmpSocket(), Duration.ofSeconds(30), vm::isAlive)) {
      qmp.execute("query-status");
    }
    assertThat(violations(vm, testDir.resolve("node-off")))
        .containsOnlyKeys("seccomp", "jail root", "uid", "cgroup");
  }

  /** What the kernel shows of the VM's QEMU that breaks a promise, by safeguard; empty when all hold. */
  private Map<String, String> violations(VmInstance vm, Path runDir) throws IOException {
    long pid = vm.pid();
    Path jail = runDir.resolve(vm.id()).resolve("root");
    Map<String, String> violations = new LinkedHashMap<>();
    String seccomp = status(pid, "Seccomp");
    if (!seccomp.equals("2")) {
      violations.put("seccomp", "Seccomp: " + seccomp + " (2 is a filter)");
    }
    Path root = Files.readSymbolicLink(Path.of("/proc/" + pid + "/root"));
    if (!root.equals(jail)) {
      violations.put("jail root", "root " + root + ", not " + jail);
    } else if (!entries(jail).isEmpty()) {
      violations.put("jail root", "the jail holds " + entries(jail));   // only migration sockets come and go there
    }
    String uidProblem = uidProblem(pid);
    if (uidProblem != null) {
      violations.put("uid", uidProblem);
    }
    String cgroupProblem = cgroupProblem(pid, vm.id());
    if (cgroupProblem != null) {
      violations.put("cgroup", cgroupProblem);
    }
    return violations;
  }

  /** Real, effective, saved and file-system uid all one uid of the range, and no other process has it. */
  private static String uidProblem(long pid) throws IOException {
    String uids = status(pid, "Uid");
    int uid = uid(pid);
    if (!uids.matches(uid + "(\\s+" + uid + "){3}")) {
      return "uids " + uids + " differ";
    }
    if (uid < FIRST_UID || uid >= FIRST_UID + UIDS) {
      return "uid " + uid + " is not in the jail range";
    }
    List<Long> sharing = processesOf(uid).stream().filter(other -> other != pid).toList();
    return sharing.isEmpty() ? null : "uid " + uid + " shared with " + sharing;
  }

  /** A limit file of one cgroup controller ("" on cgroup v2's single hierarchy) and the value it must hold. */
  private record Limit(String controller, String file, String value) {}

  /**
   * Alone in the cgroup named after its VM under the configured parent, in the CPU and memory
   * hierarchies, whose limits are the configured ones for its size.
   */
  private String cgroupProblem(long pid, String vmId) throws IOException {
    boolean v2 = Files.exists(CGROUP_ROOT.resolve("cgroup.controllers"));
    VmLimits expected = cgroupSettings.limitsFor(MEMORY_MB, 1);
    String memory = Long.toString(expected.memoryBytes());
    List<Limit> limits = v2
        ? List.of(new Limit("", "cpu.max", expected.quotaMicros() + " " + expected.periodMicros()),
            new Limit("", "memory.max", memory))
        : List.of(new Limit("cpu", "cpu.cfs_quota_us", Long.toString(expected.quotaMicros())),
            new Limit("memory", "memory.limit_in_bytes", memory));
    String own = "/" + cgroupSettings.parent() + "/" + vmId;
    for (Limit limit : limits) {
      String path = cgroupOf(pid, limit.controller());
      if (!path.equals(own)) {
        return limit.controller() + " cgroup " + path + ", not " + own;
      }
      Path dir = CGROUP_ROOT.resolve(limit.controller()).resolve(path.substring(1));
      List<String> members = Files.readAllLines(dir.resolve("cgroup.procs"));
      if (!members.equals(List.of(Long.toString(pid)))) {
        return dir + " holds " + members;
      }
      String value = Files.readString(dir.resolve(limit.file())).strip();
      if (!value.equals(limit.value())) {
        return dir.resolve(limit.file()) + " is " + value + ", not " + limit.value();
      }
    }
    return null;
  }

  /** The process's cgroup in the v1 hierarchy that has {@code controller}, or the v2 one for "". */
  private static String cgroupOf(long pid, String controller) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
      String[] fields = line.split(":", 3);
      if (List.of(fields[1].split(",")).contains(controller)) {
        return fields[2];
      }
    }
    throw new IOException("no " + controller + " line in /proc/" + pid + "/cgroup");
  }

  private static String status(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).strip();
      }
    }
    throw new IOException("no " + field + " in /proc/" + pid + "/status");
  }

  private static int uid(long pid) throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/" + pid), "unix:uid");
  }

  /** Every process on the host running as {@code uid}. */
  private static List<Long> processesOf(int uid) throws IOException {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      return entries.filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> {
            try {
              return (Integer) Files.getAttribute(p, "unix:uid") == uid;
            } catch (IOException gone) {
              return false;
            }
          })
          .map(p -> Long.parseLong(p.getFileName().toString())).toList();
    }
  }

  private static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
