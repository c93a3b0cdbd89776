package dev.faascell.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.config.FaascellConfig;
import dev.faascell.guest.image.BuildProgress;
import dev.faascell.guest.image.GuestImage;
import dev.faascell.guest.image.ImageBuilder;
import dev.faascell.guest.image.TestImages;
import dev.faascell.testing.Http;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.TestNodes;
import dev.faascell.vmm.cgroups.Cgroups;
import dev.faascell.vmm.qemu.QemuMicrovm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real VMs whose guest agent is hostile (src/test/resources/hostile/hostile-agent.c): whatever it
 * writes, only its own VM is killed and its own invocation fails, with a clear error; a well-behaved
 * function on the same node keeps working throughout.
 */
class HostileGuestIT {
  private Path dir;
  private Node node;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    dir = TestNodes.tempDir("fc-hostile-");
    Path source = dir.resolve("hostile-agent.c");
    try (var in = HostileGuestIT.class.getResourceAsStream("/hostile/hostile-agent.c")) {
      Files.write(source, in.readAllBytes());
    }
    GuestImage hostile = new ImageBuilder(TestImages.config().withAgent(source), BuildProgress.SILENT).ensure();
    FaascellConfig config = TestNodes.config(dir, Map.of("faascell.snapshots.policy", "never",
        "faascell.guest.max-frame-bytes", "1MiB", "faascell.node.max-vms", 8));
    node = Node.start(config, new QemuMicrovm(Node.qemuConfig(config), Cgroups.NONE, null), hostile);
    http = new Http(node.url());
    for (String behaviour : List.of("garbage", "huge", "half", "flood", "wrong-id", "silent", "echo")) {
      http.deploy(behaviour, "exec", behaviour, behaviour, "#!/bin/sh\n", "\"timeoutMs\":5000");
    }
  }

  @AfterEach
  void stop() throws Exception {
    node.close();
    assertThat(RealNodes.qemuProcessesUnder(dir)).isEmpty();
    TestNodes.delete(dir);
  }

  @Test
  void eachHostileGuestLosesOnlyItsOwnVmAndTheNodeKeepsServing() throws Exception {
    assertThat(http.invoke("echo", "x").status()).isEqualTo(200);
    var hostile = List.of("garbage", "huge", "half", "flood", "wrong-id", "silent").stream()
        .map(name -> CompletableFuture.supplyAsync(() -> Map.entry(name, http.invoke(name, "x")))).toList();
    for (int i = 0; i < 3; i++) {
      assertThat(http.invoke("echo", "x").json().path("result").asText()).as("the good guest, meanwhile").isEqualTo("fine");
    }
    for (var future : hostile) {
      var outcome = future.get();
      String name = outcome.getKey();
      Http.Reply reply = outcome.getValue();
      if (name.equals("half") || name.equals("silent")) {
        assertThat(reply.status()).as(name + ": " + reply.body()).isEqualTo(504);
      } else {
        assertThat(reply.status()).as(name + ": " + reply.body()).isEqualTo(502);
        assertThat(reply.json().path("error").path("message").asText()).as(name).contains("protocol");
      }
    }
    assertThat(http.get("/v1/status").json().path("vms").findValuesAsText("function")).containsOnly("echo");
    assertThat(http.invoke("echo", "x").json().path("startKind").asText()).isEqualTo("warm");
    assertThat(http.get("/metrics").body()).contains("faascell_vmm_crashes_total{cause=\"protocol-violation\"}");
  }
}
