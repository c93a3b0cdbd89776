package dev.faascell.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.guest.image.GuestImage;
import dev.faascell.guest.image.TestImages;
import dev.faascell.guest.protocol.AgentConnection;
import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.testing.TempDirs;
import dev.faascell.vmm.MemoryBacking;
import dev.faascell.vmm.SnapshotFiles;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmLaunch;
import dev.faascell.vmm.VmRestore;
import dev.faascell.vmm.VmmException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snapshots and restores on real VMs, at the driver level: the mechanics the SnapshotManager builds on. */
class QemuSnapshotIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CODE = "import random, time\ndef handle(event):\n"
      + "    return {'random': random.random(), 'time': time.time(), 'echo': event}\n";
  private static GuestImage image;
  private Path runDir;
  private Path shm;
  private QemuMicrovm vmm;

  @BeforeAll
  static void buildImage() throws Exception {
    image = TestImages.ensure();
  }

  @BeforeEach
  void start() throws Exception {
    runDir = Files.createTempDirectory(Path.of("/tmp"), "fc-snap-");
    shm = Files.createTempDirectory(Path.of("/dev/shm"), "fc-snap-");
    vmm = new QemuMicrovm(QemuMicrovmIT.config(runDir));
  }

  @AfterEach
  void stop() throws Exception {
    vmm.killAll();
    TempDirs.deleteTrees(runDir, shm);
  }

  private static AgentConnection ready(VmInstance vm, boolean load) throws Exception {
    AgentConnection channel = AgentConnection.connect(vm.channelSocket(), Duration.ofSeconds(30), vm::isAlive, 8 << 20);
    channel.send(new HostRequest.Hello());
    assertThat(channel.receive()).isInstanceOf(GuestReply.Ready.class);
    if (load) {
      channel.send(new HostRequest.Init("python", "main.handle", "file", "main.py", CODE.getBytes(StandardCharsets.UTF_8), Map.of(), "test", 128, 30_000));
      assertThat(channel.receive()).isInstanceOf(GuestReply.Ok.class);
    }
    return channel;
  }

  private static JsonNode run(AgentConnection channel, String payload) throws Exception {
    channel.send(new HostRequest.Run(payload.getBytes(StandardCharsets.UTF_8), "run"));
    var result = (GuestReply.Result) channel.receive();
    return JSON.readTree(result.output());
  }

  /** What the Worker does after every restore: push the wall clock, reseed every random generator. */
  private static AgentConnection resume(VmInstance clone, byte seed) throws Exception {
    AgentConnection channel = AgentConnection.connect(clone.channelSocket(), Duration.ofSeconds(10), clone::isAlive, 8 << 20);
    channel.send(new HostRequest.SetClock(System.currentTimeMillis() * 1_000_000L));
    assertThat(channel.receive()).isInstanceOf(GuestReply.Ok.class);
    byte[] entropy = new byte[32];
    new java.security.SecureRandom().nextBytes(entropy);
    entropy[0] = seed;
    channel.send(new HostRequest.Reseed(entropy));
    assertThat(channel.receive()).isInstanceOf(GuestReply.Ok.class);
    return channel;
  }

  private Path snapshotOfALoadedVm(SnapshotFormat format, String id) throws Exception {
    VmInstance source = vmm.launch(new VmLaunch(id, image, 128, 1, new MemoryBacking.SharedFile(shm.resolve(id + ".ram"))));
    try (AgentConnection channel = ready(source, true)) {
      Path dir = Files.createDirectories(shm.resolve("snapshot-" + id));
      SnapshotFiles files = source.snapshot(dir, format);
      assertThat(files.state()).isRegularFile();
      // the source keeps serving after its snapshot
      assertThat(run(channel, "{\"after\":\"snapshot\"}").path("echo").path("after").asText()).isEqualTo("snapshot");
      return dir;
    } finally {
      source.kill();
    }
  }

  @Test
  void clonesOfASharedRamSnapshotAnswerWithTheirOwnClockAndRandomness() throws Exception {
    Path dir = snapshotOfALoadedVm(SnapshotFormat.SHARED_RAM, "src-a");
    SnapshotFiles files = SnapshotFiles.in(dir, SnapshotFormat.SHARED_RAM);
    byte[] ramBefore = Files.readAllBytes(files.ram().orElseThrow());
    Thread.sleep(1500);   // so that a clock left at snapshot time would be visibly wrong

    VmInstance first = vmm.restore(new VmRestore("clone-1", image, 128, 1, files));
    VmInstance second = vmm.restore(new VmRestore("clone-2", image, 128, 1, files));
    try (AgentConnection a = resume(first, (byte) 1); AgentConnection b = resume(second, (byte) 2)) {
      JsonNode ra = run(a, "{\"clone\":1}");
      JsonNode rb = run(b, "{\"clone\":2}");
      assertThat(ra.path("echo").path("clone").asInt()).isEqualTo(1);
      assertThat(rb.path("echo").path("clone").asInt()).isEqualTo(2);
      double now = System.currentTimeMillis() / 1000.0;
      assertThat(ra.path("time").asDouble()).isCloseTo(now, org.assertj.core.data.Offset.offset(1.0));
      assertThat(rb.path("time").asDouble()).isCloseTo(now, org.assertj.core.data.Offset.offset(1.0));
      assertThat(ra.path("random").asDouble()).isNotEqualTo(rb.path("random").asDouble());
    } finally {
      first.kill();
      second.kill();
    }
    assertThat(Files.readAllBytes(files.ram().orElseThrow())).as("clones never write the snapshot's RAM").isEqualTo(ramBefore);
  }

  @Test
  void aFullSnapshotRestoresOnItsOwn() throws Exception {
    Path dir = snapshotOfALoadedVm(SnapshotFormat.FULL, "src-b");
    SnapshotFiles files = SnapshotFiles.in(dir, SnapshotFormat.FULL);
    assertThat(Files.size(files.state())).isGreaterThan(10L << 20);   // the RAM is in the stream
    VmInstance clone = vmm.restore(new VmRestore("clone-3", image, 128, 1, files));
    try (AgentConnection channel = resume(clone, (byte) 3)) {
      assertThat(run(channel, "{\"full\":true}").path("echo").path("full").asBoolean()).isTrue();
    } finally {
      clone.kill();
    }
  }

  @Test
  void aCorruptedSnapshotFailsToRestoreAndLeavesNothingBehind() throws Exception {
    Path dir = snapshotOfALoadedVm(SnapshotFormat.SHARED_RAM, "src-c");
    SnapshotFiles files = SnapshotFiles.in(dir, SnapshotFormat.SHARED_RAM);
    byte[] state = Files.readAllBytes(files.state());
    Files.write(files.state(), java.util.Arrays.copyOf(state, state.length / 3));
    assertThatThrownBy(() -> vmm.restore(new VmRestore("clone-4", image, 128, 1, files)))
        .isInstanceOf(VmmException.class).hasMessageContaining("clone-4");
    assertThat(runDir.resolve("clone-4")).doesNotExist();
  }
}
