package dev.faascell.replay.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SyntheticFunctionTest {
  @Test
  void memoryIsTheTouchedMemoryPlusHeadroomInStepsOf64WithinTheLimits() {
    assertThat(SyntheticFunction.sizedFor("f", 0, 1, "").memoryMb()).isEqualTo(128);
    assertThat(SyntheticFunction.sizedFor("f", 30, 1, "").memoryMb()).isEqualTo(128);
    assertThat(SyntheticFunction.sizedFor("f", 65, 1, "").memoryMb()).isEqualTo(192);
    assertThat(SyntheticFunction.sizedFor("f", 150, 1, "").memoryMb()).isEqualTo(256);
    assertThat(SyntheticFunction.sizedFor("f", 448, 1, "").memoryMb()).isEqualTo(512);
    assertThat(SyntheticFunction.sizedFor("f", 2000, 1, "").memoryMb()).isEqualTo(512);
  }

  @Test
  void theTimeoutIsThreeTimesTheLongestDurationPlusFiveSeconds() {
    assertThat(SyntheticFunction.sizedFor("f", 10, 2000, "").timeoutMs()).isEqualTo(11_000);
    assertThat(SyntheticFunction.sizedFor("f", 10, 0, "").timeoutMs()).isEqualTo(5_000);
  }

  @Test
  void namesFollowTheApisRule() {
    assertThatThrownBy(() -> SyntheticFunction.sizedFor("Trace_1", 10, 10, "")).hasMessageContaining("[a-z0-9-]{1,63}");
    assertThatThrownBy(() -> SyntheticFunction.sizedFor("a".repeat(64), 10, 10, "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDeployBodyIsAPythonFunctionRunningTheWorkload() throws Exception {
    JsonNode body = new ObjectMapper().readTree(SyntheticFunction.sizedFor("trace-abc", 100, 500, "o/a/f").deployJson());
    assertThat(body.path("runtime").asText()).isEqualTo("python");
    assertThat(body.path("handler").asText()).isEqualTo("main.handle");
    assertThat(body.path("code").path("file").asText()).isEqualTo("main.py");
    assertThat(body.path("code").path("text").asText()).isEqualTo(WorkloadCode.python()).contains("def handle(event):");
    assertThat(body.path("memoryMb").asInt()).isEqualTo(192);
    assertThat(body.path("timeoutMs").asLong()).isEqualTo(6500);
  }

  @Test
  void theWorkRequestIsThePayload() {
    assertThat(new WorkRequest(250, 64).toJson()).isEqualTo("{\"durationMs\":250,\"memoryMb\":64}");
  }

  @Test
  void limitsKeepTheWorkInsideTheLargestVm() {
    assertThatThrownBy(() -> new WorkloadLimits(449, 1000)).hasMessageContaining("between 0 and 448");
    assertThatThrownBy(() -> new WorkloadLimits(100, 300_000)).hasMessageContaining("between 0 and 290000");
  }
}
