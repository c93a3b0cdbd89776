package dev.faascell.replay.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.replay.driver.InvocationRecord;
import dev.faascell.replay.report.Summary.FunctionStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {
  private final List<InvocationRecord> records = Records.run();
  private final Summary summary = Summary.of(records, Records.status(), 2);

  @Test
  void countsAddUpToTheRecords() {
    assertThat(summary.invocations()).isEqualTo(30);
    assertThat(summary.byStartKind()).containsExactly(Map.entry("warm", 21L), Map.entry("restore", 4L),
        Map.entry("cold", 3L), Map.entry("none", 2L));
    assertThat(summary.byStartKind().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(30);
    assertThat(summary.byOutcome()).containsExactly(Map.entry("ok", 28L), Map.entry("queue-full", 1L), Map.entry("timeout", 1L));
    assertThat(summary.failed()).isEqualTo(2);
    assertThat(summary.late()).isEqualTo(1);
    assertThat(summary.maxLatenessMs()).isEqualTo(40);
  }

  @Test
  void latencyPercentilesAreOverSuccessfulInvocationsByStartKind() {
    assertThat(summary.latencyMs().get("all").count()).isEqualTo(28);
    assertThat(summary.latencyMs().get("warm").count()).isEqualTo(21);
    assertThat(summary.latencyMs().get("warm").p50()).isEqualTo(5.0);
    assertThat(summary.latencyMs().get("warm").p99()).isEqualTo(6.0);
    assertThat(summary.latencyMs().get("cold").p50()).isEqualTo(4005.0);
    assertThat(summary.latencyMs().get("cold").max()).isEqualTo(4500.0);
    assertThat(summary.latencyMs().get("restore").p90()).isEqualTo(325.0);
  }

  @Test
  void coldStartRatesCountColdAndRestoredStartsOfSuccessfulInvocations() {
    assertThat(summary.functions()).containsExactly(
        new FunctionStats("busy", 23, 22, 21, 0, 1, 1 / 22.0),
        new FunctionStats("rare", 7, 6, 0, 4, 2, 1.0));
  }

  @Test
  void theNodeStatsComeFromTheSamples() {
    assertThat(summary.node()).isEqualTo(new Summary.NodeStats(31, 2, 16873, 456, 2));
  }

  @Test
  void anEmptyRunHasNoLatencies() {
    Summary empty = Summary.of(List.of(), List.of(), 0);
    assertThat(empty.latencyMs().get("all").p50()).isNull();
    assertThat(empty.functions()).isEmpty();
    assertThat(empty.failed()).isZero();
  }
}
