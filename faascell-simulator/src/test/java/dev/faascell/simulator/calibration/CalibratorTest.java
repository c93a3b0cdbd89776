package dev.faascell.simulator.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibratorTest {
  @TempDir
  Path dir;

  private static String record(String function, String kind, long bootUs, long initUs, long restoreUs, long totalUs,
                               long execUs, long queueUs) {
    return "{\"invocationId\":\"i\",\"function\":\"" + function + "\",\"outcome\":\"ok\",\"httpStatus\":200,"
        + "\"startKind\":\"" + kind + "\",\"totalUs\":" + totalUs + ",\"startupUs\":{\"boot\":" + bootUs + ",\"restore\":"
        + restoreUs + ",\"init\":" + initUs + ",\"snapshot\":0},\"guestExecUs\":" + execUs
        + ",\"timestampsUs\":{\"received\":0,\"enqueued\":10,\"dequeued\":" + (10 + queueUs) + "}}";
  }

  @Test
  void eachMemorySizeGetsTheDistributionsOfItsFunctionsRecords() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      lines.add(record("small", "cold", 3_000_000 + i * 10_000, 1_000_000, 0, 4_200_000, 100_000, 0));
      lines.add(record("small", "warm", 0, 0, 0, 102_000 + i * 10 + 5_000, 100_000, 5_000));
      lines.add(record("big", "restore", 0, 0, 200_000 + i * 1_000, 400_000, 100_000, 0));
      lines.add(record("big", "warm", 0, 0, 0, 103_000, 100_000, 0));
    }
    lines.add("{\"function\":\"small\",\"outcome\":\"queue-timeout\",\"startKind\":null}");
    Path trace = Files.write(dir.resolve("invocations.jsonl"), lines);

    Calibration calibration = new Calibrator(name -> name.equals("big") ? 512 : 128, "python").read(trace)
        .calibration("test host", "test", Calibration.shipped());

    assertThat(calibration.entries()).extracting(Calibration.Entry::memoryMb).containsExactly(128, 512);
    Calibration.Entry small = calibration.entries().get(0);
    assertThat(small.samples()).containsExactly(100, 0, 100);
    assertThat(small.bootMs().get(0)).isEqualTo(3000.0);
    assertThat(small.bootMs().get(10)).isEqualTo(3990.0);
    assertThat(small.bootMs().get(5)).isCloseTo(3495.0, within(0.01));
    // total minus the guest's run minus the queue wait: 2 ms plus 0..1 ms
    assertThat(small.warmOverheadMs().get(0)).isCloseTo(2.0, within(1e-9));
    assertThat(small.warmOverheadMs().get(10)).isCloseTo(2.99, within(1e-9));
    // no restore of the small function was seen: the fallback's figures stand in
    assertThat(small.restoreMs()).isEqualTo(Calibration.shipped().entries().get(0).restoreMs());
    Calibration.Entry big = calibration.entries().get(1);
    assertThat(big.restoreMs().get(5)).isCloseTo(249.5, within(0.01));
    assertThat(calibration.costs("python", 500).restoreMs().valueAt(0.5)).isCloseTo(249.5, within(0.01));

    Path file = dir.resolve("calibration.json");
    calibration.write(file);
    assertThat(Calibration.read(file)).isEqualTo(calibration);
  }

  @Test
  void aLineThatIsNotATraceRecordIsNamed() throws Exception {
    Path trace = Files.write(dir.resolve("bad.jsonl"), List.of(record("f", "warm", 0, 0, 0, 1, 1, 0), "not json"));
    assertThatThrownBy(() -> new Calibrator(name -> 128, "python").read(trace))
        .hasMessageStartingWith(trace + " line 2: not a JSON trace record");
  }

  @Test
  void theShippedCalibrationCoversThisHostsMeasuredCosts() {
    Calibration shipped = Calibration.shipped();
    Costs costs = shipped.costs("python", 128);
    // docs/BENCHMARKS.md: cold start ~4.7-6 s (boot 3.2 s + init 1.5 s), restore ~0.2-0.3 s, warm overhead ~2-3 ms
    assertThat(costs.bootMs().valueAt(0.5) + costs.initMs().valueAt(0.5)).isBetween(4000.0, 6000.0);
    assertThat(costs.restoreMs().valueAt(0.5)).isBetween(150.0, 300.0);
    assertThat(costs.warmOverheadMs().valueAt(0.5)).isBetween(1.0, 3.0);
  }
}
