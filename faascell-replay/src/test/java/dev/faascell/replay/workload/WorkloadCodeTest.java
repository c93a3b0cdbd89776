package dev.faascell.replay.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the workload's handler in the host's Python, as the guest's runtime would call it. */
class WorkloadCodeTest {
  @TempDir
  Path dir;

  @Test
  void theHandlerTouchesTheMemoryWaitsTheDurationAndEchoesTheRequest() throws Exception {
    Files.writeString(dir.resolve("main.py"), WorkloadCode.python());
    String script = "import json, time, main\n"
        + "t = time.monotonic()\n"
        + "result = main.handle({'durationMs': 120, 'memoryMb': 8})\n"
        + "print(json.dumps({'result': result, 'elapsedMs': (time.monotonic() - t) * 1000}))\n";
    Process python;
    try {
      python = new ProcessBuilder("python3", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException noPython) {
      assumeTrue(false, "python3 is not installed");
      return;
    }
    assertThat(python.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.exitValue()).as(output).isZero();
    JsonNode json = new ObjectMapper().readTree(output);
    assertThat(json.path("result").toString()).isEqualTo("{\"durationMs\":120,\"memoryMb\":8}");
    assertThat(json.path("elapsedMs").asDouble()).isBetween(120.0, 1000.0);
  }
}
