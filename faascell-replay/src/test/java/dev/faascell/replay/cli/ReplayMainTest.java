package dev.faascell.replay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.testing.FakeNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands end to end against a fake node: options, files written, exit codes. */
class ReplayMainTest {
  @TempDir
  Path dir;

  private static Path sampleTrace(String name) throws Exception {
    return Path.of(ReplayMainTest.class.getResource("/traces/" + name).toURI());
  }

  private static int run(String... args) {
    return ReplayMain.commandLine().execute(args);
  }

  private static JsonNode summary(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }

  @Test
  void replayAzureReplaysTheChosenFunctionsOfTheWindow() throws Exception {
    try (FakeNode node = new FakeNode(0, 0, 0)) {
      Path out = dir.resolve("azure");
      // minutes 1-3 of the two most invoked functions, three trace minutes per wall second
      int exit = run("replay", "azure", "--trace", sampleTrace("sample-d01").toString(), "--top", "2", "--start-minute", "1",
          "--minutes", "3", "--speedup", "180", "--spread", "Equidistant", "--seed", "5", "--url", node.url().toString(),
          "--out", out.toString(), "--no-progress");

      assertThat(exit).isZero();
      JsonNode summary = summary(out);
      assertThat(summary.path("run").path("source").asText()).isEqualTo("azure");
      assertThat(summary.path("run").path("speedUp").asDouble()).isEqualTo(180.0);
      assertThat(summary.path("run").path("functions")).hasSize(2);
      assertThat(summary.path("run").path("parameters").path("window").asText()).isEqualTo("minutes 1-3");
      assertThat(summary.path("run").path("parameters").path("spread").asText()).isEqualTo("equidistant");
      int traceInvocations = summary.path("run").path("parameters").path("trace invocations in window").asInt();
      assertThat(traceInvocations).isPositive();
      assertThat(summary.path("summary").path("invocations").asInt()).isEqualTo(traceInvocations).isEqualTo(node.invocations());
      assertThat(node.deployBodies()).hasSize(2);
      assertThat(out.resolve("report.html")).exists();
    }
  }

  @Test
  void replayPoissonAndClosedWriteTheirResultsAndReportComparesThem() throws Exception {
    try (FakeNode node = new FakeNode(0, 0, 0)) {
      Path poisson = dir.resolve("poisson");
      Path closed = dir.resolve("closed");
      assertThat(run("replay", "poisson", "--rate", "fn-a=20", "--rate", "fn-b=5", "--duration", "1s", "--exec-ms", "20",
          "--url", node.url().toString(), "--out", poisson.toString(), "--no-progress")).isZero();
      assertThat(run("replay", "closed", "--clients", "2", "--duration", "500ms", "--think", "10ms", "--function", "fn-a",
          "--url", node.url().toString(), "--out", closed.toString(), "--no-progress")).isZero();

      assertThat(summary(poisson).path("run").path("parameters").path("rates per second").asText()).isEqualTo("{fn-a=20.0, fn-b=5.0}");
      assertThat(summary(closed).path("run").path("parameters").path("clients").asText()).isEqualTo("2");
      assertThat(summary(closed).path("run").path("seed").asLong()).isEqualTo(1);

      Path html = dir.resolve("compare.html");
      assertThat(run("report", poisson.toString(), closed.toString(), "--out", html.toString())).isZero();
      assertThat(Files.readString(html)).contains("<th>poisson</th><th>closed</th>");
    }
  }

  @Test
  void failedInvocationsAreResultsNotAFailedCommand() throws Exception {
    try (FakeNode node = new FakeNode(2, 0, 0)) {
      Path out = dir.resolve("r");
      assertThat(run("replay", "poisson", "--rate", "fn-a=10", "--duration", "1s", "--url", node.url().toString(),
          "--out", out.toString(), "--no-progress")).isZero();
      assertThat(summary(out).path("summary").path("byOutcome").path("queue-full").asInt()).isPositive();
    }
  }

  @Test
  void mistakesAreExplained() throws Exception {
    StringWriter err = new StringWriter();
    CommandLine cli = ReplayMain.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("replay", "azure", "--top", "2", "--out", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("give either --trace DIR [--day N] or all of --invocations, --durations and --memory");

    err.getBuffer().setLength(0);
    assertThat(cli.execute("replay")).isEqualTo(2);
    assertThat(err.toString()).contains("name a source: replay azure, replay poisson or replay closed");

    err.getBuffer().setLength(0);
    assertThat(cli.execute("replay", "azure", "--trace", sampleTrace("sample-d01").toString(), "--top", "2", "--sample", "3",
        "--out", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("mutually exclusive");

    err.getBuffer().setLength(0);
    assertThat(cli.execute("replay", "azure", "--trace", dir.toString(), "--top", "2", "--out", dir.toString(),
        "--url", "http://127.0.0.1:1")).isEqualTo(2);
    assertThat(err.toString()).contains("cannot read " + dir.resolve("app_memory_percentiles.anon.d01.csv") + ": no such file");
  }

  @Test
  void durationsAreReadAsPeopleWriteThem() {
    DurationConverter converter = new DurationConverter();
    assertThat(converter.convert("100ms")).isEqualTo(Duration.ofMillis(100));
    assertThat(converter.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(converter.convert("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
  }
}
