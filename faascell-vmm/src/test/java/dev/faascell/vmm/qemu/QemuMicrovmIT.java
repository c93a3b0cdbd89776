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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The QEMU microvm driver and the guest agent, on real VMs, without the actors above them. */
class QemuMicrovmIT {
  /** The host's jail uid range and lease directory, as a daemon's (reference.conf): leased, never shared. */
  private static final int JAIL_FIRST_UID = 200000;
  private static final Path HOST_JAIL_LEASES = Path.of("/run/faascell-jail");
  private static GuestImage image;
  private Path runDir;
  private QemuMicrovm vmm;

  @BeforeAll
  static void buildImage() throws Exception {
    image = TestImages.ensure();
  }

  @BeforeEach
  void start() throws Exception {
    runDir = Files.createTempDirectory(Path.of("/tmp"), "fc-qemu-");
    vmm = new QemuMicrovm(config(runDir));
  }

  static QemuConfig config(Path runDir) {
    return new QemuConfig("qemu-system-x86_64", Accelerator.choose("auto", Path.of("/")), runDir, "mitigations=off", true, 64,
        JAIL_FIRST_UID, 64, HOST_JAIL_LEASES, Duration.ZERO);
  }

  @AfterEach
  void stop() throws Exception {
    vmm.killAll();
    TempDirs.deleteTrees(runDir);
  }

  private VmInstance launch(String id) throws Exception {
    return vmm.launch(new VmLaunch(id, image, 128, 1, new MemoryBacking.Anonymous()));
  }

  private static AgentConnection connect(VmInstance vm) throws Exception {
    return AgentConnection.connect(vm.channelSocket(), Duration.ofSeconds(10), vm::isAlive, 8 << 20);
  }

  @Test
  void bootsRunsAPythonFunctionAndCleansUp() throws Exception {
    VmInstance vm = launch("vm-a");
    try (AgentConnection channel = connect(vm)) {
      int hello = channel.send(new HostRequest.Hello());
      var ready = (GuestReply.Ready) channel.receive();
      assertThat(ready.requestId()).isEqualTo(hello);
      assertThat(ready.agentVersion()).startsWith("faascell-agent/");
      assertThat(ready.memTotalKb()).isBetween(64L * 1024, 128L * 1024);

      String code = "import os\ndef handle(event):\n    print('side output')\n    return {'twice': event['n'] * 2, 'env': os.environ['GREETING']}\n";
      channel.send(new HostRequest.Init("python", "main.handle", "file", "main.py",
          code.getBytes(StandardCharsets.UTF_8), Map.of("GREETING", "hi"), "test", 128, 30_000));
      assertThat(channel.receive()).isInstanceOf(GuestReply.Ok.class);

      channel.send(new HostRequest.Run("{\"n\": 21}".getBytes(StandardCharsets.UTF_8), "run"));
      var result = (GuestReply.Result) channel.receive();
      assertThat(new String(result.output(), StandardCharsets.UTF_8)).isEqualTo("{\"twice\":42,\"env\":\"hi\"}");
      assertThat(result.stderrTail()).contains("side output");
      assertThat(result.execNanos()).isPositive();
    }
    long pid = vm.pid();
    vm.kill();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(runDir.resolve("vm-a")).doesNotExist();
  }

  @Test
  void anExecFunctionGetsThePayloadOnStdin() throws Exception {
    VmInstance vm = launch("vm-b");
    try (AgentConnection channel = connect(vm)) {
      channel.send(new HostRequest.Hello());
      channel.receive();
      String script = "#!/bin/sh\necho \"got: $(cat)\"\necho oops >&2\nexit ${EXIT_CODE:-0}\n";
      channel.send(new HostRequest.Init("exec", "run.sh", "file", "run.sh", script.getBytes(StandardCharsets.UTF_8), Map.of(), "test", 128, 30_000));
      assertThat(channel.receive()).isInstanceOf(GuestReply.Ok.class);
      channel.send(new HostRequest.Run("payload".getBytes(StandardCharsets.UTF_8), "run"));
      var result = (GuestReply.Result) channel.receive();
      assertThat(new String(result.output(), StandardCharsets.UTF_8)).isEqualTo("got: payload\n");
      assertThat(result.stderrTail()).isEqualTo("oops\n");
    } finally {
      vm.kill();
    }
  }

  @Test
  void stopEndsTheVmGracefully() throws Exception {
    VmInstance vm = launch("vm-c");
    try (AgentConnection channel = connect(vm)) {
      channel.send(new HostRequest.Hello());
      channel.receive();
    }
    vm.stop(5000);
    assertThat(vm.exited().get(1, TimeUnit.SECONDS)).isNotNull();
    assertThat(runDir.resolve("vm-c")).doesNotExist();
  }

  @Test
  void aNewDriverReapsTheVmsAnEarlierDaemonLeft() throws Exception {
    VmInstance orphan = launch("vm-d");
    connect(orphan).close();
    long pid = orphan.pid();
    int reaped = new QemuMicrovm(config(runDir)).reapStale();
    assertThat(reaped).isEqualTo(1);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(runDir.resolve("vm-d")).doesNotExist();
  }

  @Test
  void aVmmThatCannotStartReportsWhy() throws Exception {
    QemuMicrovm broken = new QemuMicrovm(config(runDir));
    VmInstance vm = broken.launch(new VmLaunch("vm-e", new GuestImage("missing", runDir, runDir.resolve("no-kernel"),
        runDir.resolve("no-initrd"), runDir.resolve("no-root"), "none"), 128, 1, new MemoryBacking.Anonymous()));
    assertThat(vm.exited().get(30, TimeUnit.SECONDS)).isNotZero();
    assertThat(vm.diagnostics()).contains("Could not open").contains("no-root");
    vm.kill();
  }
}
