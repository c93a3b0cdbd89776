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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        "faascell.guest.max-frame-bytes", "1MiB", "faascell.node.max-vms", 12));
    node = Node.start(config, new QemuMicrovm(Node.qemuConfig(config), Cgroups.NONE, null), hostile);
    http = new Http(node.url());
    for (String behaviour : List.of("garbage", "huge", "half", "flood", "wrong-id", "silent", "ready", "ok",
        "replay-init", "replay-run", "echo")) {
      http.deploy(behaviour, "exec", behaviour, behaviour, "#!/bin/sh\n", "\"timeoutMs\":5000");
    }
  }

  @AfterEach
  void stop() throws Exception {
    node.close();
    assertThat(RealNodes.qemuProcessesUnder(dir)).isEmpty();
    TestNodes.delete(dir);
  }

  /** What each protocol-breaking guest's invocation must say it died of (timeouts say nothing of it). */
  private static final Map<String, String> VIOLATIONS = Map.of(
      "garbage", "protocol",
      "huge", "protocol",
      "flood", "protocol",
      "wrong-id", "reply to request",
      "ready", "expected RESULT or ERROR to RUN, got READY",
      "ok", "expected RESULT or ERROR to RUN, got OK",
      "replay-init", "reply to request",
      "replay-run", "reply to request");

  @Test
  void eachHostileGuestLosesOnlyItsOwnVmAndTheNodeKeepsServing() throws Exception {
    assertThat(http.invoke("echo", "x").status()).isEqualTo(200);
    // replay-run behaves once, so its next RUN (on the same, now warm VM) can replay this one's id
    assertThat(http.invoke("replay-run", "x").json().path("result").asText()).isEqualTo("fine");
    var hostile = List.of("garbage", "huge", "half", "flood", "wrong-id", "silent", "ready", "ok", "replay-init",
            "replay-run").stream()
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
        assertThat(reply.json().path("error").path("kind").asText()).as(name).isEqualTo("vm-failure");
        assertThat(reply.json().path("error").path("message").asText()).as(name)
            .contains("broke the channel protocol").contains(VIOLATIONS.get(name));
      }
    }
    assertThat(http.get("/v1/status").json().path("vms").findValuesAsText("function")).containsOnly("echo");
    assertThat(http.invoke("echo", "x").json().path("startKind").asText()).isEqualTo("warm");
    assertThat(protocolViolations(http.get("/metrics").body())).as("one per protocol-breaking guest")
        .isEqualTo(VIOLATIONS.size());
  }

  private static double protocolViolations(String metrics) {
    Matcher line = Pattern.compile("(?m)^faascell_vmm_crashes_total\\{[^}]*cause=\"protocol-violation\"[^}]*\\} (\\S+)$")
        .matcher(metrics);
    return line.find() ? Double.parseDouble(line.group(1)) : 0;
  }
}
