package dev.faascell.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.server.Node;
import dev.faascell.testing.Http;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invocations through the real HTTP API on real QEMU microVMs with the real guest agent: the cold and
 * warm paths, and every way a function or its VM can fail.
 */
class RealVmInvocationIT {
  private static Path dir;
  private static Node node;
  private static Http http;

  @BeforeAll
  static void start() throws Exception {
    dir = TestNodes.tempDir("fc-it-");
    node = RealNodes.start(dir, Map.of("faascell.node.max-vms", 4));
    http = new Http(node.url());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    assertThat(RealNodes.qemuProcessesUnder(dir)).isEmpty();
    assertThat(RealNodes.leftoversIn(dir.resolve("run"))).isEmpty();
    TestNodes.delete(dir);
  }

  private static void deployPython(String name, String code, String extra) {
    var reply = http.deploy(name, "python", "main.handle", "main.py", code, extra);
    assertThat(reply.status()).as(reply.body()).isIn(200, 201);
  }

  @Test
  void theSamplePythonFunctionAnswersColdThenWarm() {
    var cold = http.invoke("hello", "{\"name\":\"tester\"}");
    var warm = http.invoke("hello", "{\"name\":\"again\"}");
    assertThat(cold.status()).as(cold.body()).isEqualTo(200);
    assertThat(cold.json().path("result").path("greeting").asText()).isEqualTo("Hello, tester!");
    assertThat(cold.json().path("startKind").asText()).isEqualTo("cold");
    assertThat(cold.json().path("bootMs").asDouble()).isPositive();
    assertThat(cold.json().path("initMs").asDouble()).isPositive();
    assertThat(warm.json().path("result").path("greeting").asText()).isEqualTo("Hello, again!");
    assertThat(warm.json().path("startKind").asText()).isEqualTo("warm");
    assertThat(warm.json().path("vmId").asText()).isEqualTo(cold.json().path("vmId").asText());
    assertThat(warm.json().path("execMs").asDouble()).isPositive();
  }

  @Test
  void theSampleExecFunctionEchoesItsInput() {
    var reply = http.invoke("echo", "{\"any\":[1,2,3]}");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("result").path("any").get(2).asInt()).isEqualTo(3);
  }

  @Test
  void aFunctionThatRaisesGets502WithItsTracebackAndTheVmStaysUsable() {
    deployPython("raiser", "def handle(event):\n    print('about to fail')\n"
        + "    if event.get('fail'):\n        raise ValueError('bad input: ' + str(event))\n    return 'fine'\n", "");
    var failed = http.invoke("raiser", "{\"fail\":true}");
    assertThat(failed.status()).isEqualTo(502);
    assertThat(failed.json().path("error").path("kind").asText()).isEqualTo("function-error");
    assertThat(failed.json().path("error").path("message").asText()).contains("ValueError: bad input").contains("main.py");
    assertThat(failed.json().path("logs").asText()).contains("about to fail");
    var next = http.invoke("raiser", "{}");
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.json().path("startKind").asText()).isEqualTo("warm");
    assertThat(next.json().path("vmId").asText()).isEqualTo(failed.json().path("vmId").asText());
  }

  @Test
  void aHangingFunctionGets504AndItsVmIsReplaced() {
    deployPython("sleepy", "import time\ndef handle(event):\n    time.sleep(event['s'])\n    return 'woke'\n",
        "\"timeoutMs\":1500");
    var hung = http.invoke("sleepy", "{\"s\":60}");
    assertThat(hung.status()).isEqualTo(504);
    assertThat(hung.json().path("error").path("message").asText()).contains("1500 ms");
    var next = http.invoke("sleepy", "{\"s\":0}");
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.json().path("startKind").asText()).isIn("cold", "restore");
    assertThat(next.json().path("vmId").asText()).isNotEqualTo(hung.json().path("vmId").asText());
  }

  @Test
  void aFunctionThatKillsItsRuntimeGets502AndANewVm() {
    deployPython("quitter", "import os\ndef handle(event):\n    os._exit(3)\n", "");
    var died = http.invoke("quitter", "{}");
    assertThat(died.status()).isEqualTo(502);
    assertThat(died.json().path("error").path("message").asText()).contains("exited with status 3");
    awaitVmGone(died.json().path("vmId").asText());
  }

  @Test
  void aFunctionThatEatsItsMemoryGets502AndOthersKeepWorking() {
    deployPython("hog", "def handle(event):\n    blocks = []\n    while True:\n        blocks.append(bytearray(16 << 20))\n", "");
    var hog = http.invoke("hog", "{}");
    assertThat(hog.status()).isEqualTo(502);
    assertThat(http.invoke("echo", "still here").json().path("result").asText()).isEqualTo("still here");
  }

  @Test
  void aGuestKernelPanicFailsTheInvocationAndRemovesTheVm() {
    deployPython("panic", "def handle(event):\n    with open('/proc/sysrq-trigger', 'w') as f:\n        f.write('c')\n", "");
    var crashed = http.invoke("panic", "{}");
    assertThat(crashed.status()).isEqualTo(502);
    assertThat(crashed.json().path("error").path("kind").asText()).isEqualTo("vm-failure");
    awaitVmGone(crashed.json().path("vmId").asText());
  }

  @Test
  void aQemuCrashFailsTheRunningInvocationAndRemovesTheVm() throws Exception {
    deployPython("slowpoke", "import time\ndef handle(event):\n    time.sleep(event['s'])\n    return 'done'\n", "");
    String vmId = http.invoke("slowpoke", "{\"s\":0}").json().path("vmId").asText();
    var running = CompletableFuture.supplyAsync(() -> http.invoke("slowpoke", "{\"s\":20}"));
    Thread.sleep(1500);
    String vmDir = dir.resolve("run").resolve(vmId) + "/";
    var qemu = RealNodes.qemuProcessesUnder(dir.resolve("run")).stream()
        .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(vmDir)).orElse(false))
        .toList();
    assertThat(qemu).hasSize(1);
    qemu.get(0).destroyForcibly();
    var reply = running.get();
    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.json().path("error").path("kind").asText()).isEqualTo("vm-failure");
    assertThat(reply.json().path("vmId").asText()).isEqualTo(vmId);
    awaitVmGone(vmId);
  }

  private static void awaitVmGone(String vmId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (http.get("/v1/status").json().path("vms").findValuesAsText("vmId").stream().noneMatch(vmId::equals)) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError("VM " + vmId + " is still in the pool");
  }
}
