package dev.faascell.replay.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void aTerminalGetsOneLineRedrawnInPlace() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    bar.update(new Progress(5, 10, 3, 1, 0, Duration.ofMillis(1500), Duration.ZERO));
    bar.finish(new Progress(10, 10, 10, 1, 2, Duration.ofMillis(3000), Duration.ZERO));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).startsWith("\rreplay [###############---------------] 5/10 sent, 3 done, 1 late, 0 failed, 1.5s")
        .endsWith("\rreplay [##############################] 10/10 sent, 10 done, 1 late, 2 failed, 3.0s\n");
  }

  @Test
  void aLogGetsAPlainLineEveryFewSeconds() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    for (int ms = 0; ms <= 10_000; ms += 250) {
      bar.update(new Progress(ms / 100, -1, 0, 0, 0, Duration.ofMillis(ms), Duration.ofSeconds(20)));
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("\r");
    assertThat(out.lines()).hasSize(3).last().asString().contains("100 sent").endsWith("10.0s/20s");
  }
}
