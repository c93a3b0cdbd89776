package dev.faascell.policy.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.model.CodeBundle;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.RuntimeKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotPolicyTest {
  private final FunctionSpec function = new FunctionSpec(FunctionName.of("f"), RuntimeKind.PYTHON, "main.handle",
      CodeBundle.file("main.py", "def handle(e):\n  return e\n".getBytes(StandardCharsets.UTF_8)), 128, 1,
      Duration.ofSeconds(5), Map.of());

  @Test
  void firstBootSnapshotsOnlyAFunctionVersionWithoutASnapshot() {
    SnapshotPolicy policy = SnapshotPolicy.firstBoot();
    assertThat(policy.snapshotAfterInit(function, 0)).isTrue();
    assertThat(policy.snapshotAfterInit(function, 1)).isFalse();
  }

  @Test
  void neverSnapshotsForAColdOnlyBaseline() {
    assertThat(SnapshotPolicy.never().snapshotAfterInit(function, 0)).isFalse();
  }
}
