package dev.faascell.replay.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.replay.driver.InvocationRecord;
import dev.faascell.replay.driver.RunResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsDirectoryTest {
  private static final Pattern EXTERNAL_REFERENCE = Pattern.compile("(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//",
      Pattern.CASE_INSENSITIVE);

  @TempDir
  Path dir;

  static RunDescription description(String policy) {
    return new RunDescription("azure", "http://127.0.0.1:8080", 7L, 60.0, 10, Map.of("keep-alive", policy, "spread", "uniform"),
        List.of(new RunDescription.DeployedFunction("busy", "o/a/f1", 128, 6000),
            new RunDescription.DeployedFunction("rare", "o/a/f2", 192, 9000)));
  }

  static RunResult result() {
    return new RunResult(Instant.parse("2026-11-26T22:00:00Z"), 31_000, Records.run(), Records.status(), 1);
  }

  @Test
  void aRunsDirectoryHoldsItsRecordsSummaryAndReport() throws Exception {
    Path out = dir.resolve("run-a");
    ResultsDirectory.write(out, description("ttl"), result());

    assertThat(out.resolve("invocations.csv")).exists();
    assertThat(Files.readAllLines(out.resolve("invocations.csv"))).hasSize(31).first().asString()
        .startsWith("index,function,scheduledMs,sentMs,latenessMs,late,");
    assertThat(Files.readAllLines(out.resolve("status.csv"))).hasSize(32);

    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.path("summary").path("invocations").asInt()).isEqualTo(30);
    assertThat(summary.path("summary").path("late").asInt()).isEqualTo(1);
    assertThat(summary.path("summary").path("byStartKind").path("warm").asInt()).isEqualTo(21);
    assertThat(summary.path("summary").path("byOutcome").path("queue-full").asInt()).isEqualTo(1);
    assertThat(summary.path("summary").path("latencyMs").path("cold").path("p50").asDouble()).isEqualTo(4005.0);
    assertThat(summary.path("summary").path("functions").get(1).path("coldStartRate").asDouble()).isEqualTo(1.0);
    assertThat(summary.path("run").path("seed").asLong()).isEqualTo(7);
    assertThat(summary.path("run").path("speedUp").asDouble()).isEqualTo(60.0);
    assertThat(summary.path("run").path("url").asText()).isEqualTo("http://127.0.0.1:8080");
    assertThat(summary.path("run").path("functions")).hasSize(2);
    assertThat(summary.path("startedAt").asText()).isEqualTo("2026-11-26T22:00:00Z");
  }

  @Test
  void aDirectoryReadsBackAsWritten() {
    Path out = dir.resolve("run-a");
    RunData written = ResultsDirectory.write(out, description("ttl"), result());
    RunData read = ResultsDirectory.read(out);

    assertThat(read.name()).isEqualTo("run-a");
    assertThat(read.description()).isEqualTo(description("ttl"));
    assertThat(read.startedAt()).isEqualTo(written.startedAt());
    assertThat(read.status()).isEqualTo(written.status());
    assertThat(read.statusPollFailures()).isEqualTo(1);
    // the error message lost its line break (one row per line); everything else is as recorded
    assertThat(read.invocations()).hasSize(30);
    assertThat(read.invocations()).isEqualTo(written.invocations().stream().map(ResultsDirectoryTest::onOneLine).toList());
    assertThat(read.summary()).isEqualTo(written.summary());
  }

  private static InvocationRecord onOneLine(InvocationRecord r) {
    return new InvocationRecord(r.index(), r.function(), r.scheduledMs(), r.sentMs(), r.latenessMs(), r.late(),
        r.requestedDurationMs(), r.requestedMemoryMb(), r.httpStatus(), r.errorKind(), r.errorMessage().replace('\n', ' '),
        r.startKind(), r.vmId(), r.timings(), r.latencyMs());
  }

  @Test
  void theReportIsOneSelfContainedHtmlFileWithTheFourPlots() throws Exception {
    Path out = dir.resolve("run-a");
    ResultsDirectory.write(out, description("ttl"), result());
    String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);

    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").doesNotContainIgnoringCase("<script")
        .doesNotContainIgnoringCase("<link").doesNotContainIgnoringCase("@import").doesNotContainIgnoringCase("url(");
    assertThat(EXTERNAL_REFERENCE.matcher(html).find()).as("an external src or href").isFalse();
    assertThat(HtmlReport.PLOT_TITLES).hasSize(4).allSatisfy(title -> assertThat(html).contains(title));
    assertThat(html).contains("latency, client-measured (ms, log scale)", "replay time (s)", "memory reserved (MiB)",
        "cold starts, of successful invocations (%)");
    assertThat(html).contains("<th>run-a</th>", "queue-full", "timeout", "4005");
  }

  @Test
  void severalRunsShareOneReportWithAColumnEach() throws Exception {
    ResultsDirectory.write(dir.resolve("ttl-10m"), description("ttl 10m"), result());
    RunResult other = new RunResult(Instant.parse("2026-11-26T23:00:00Z"), 31_000,
        Records.run().stream().map(r -> r.startKind().equals("restore") ? Records.ok(r.index(), r.function(), "warm", 5) : r).toList(),
        Records.status(), 0);
    ResultsDirectory.write(dir.resolve("ttl-1m"), description("ttl 1m"), other);

    Path html = dir.resolve("compare/report.html");
    ResultsDirectory.compare(List.of(dir.resolve("ttl-10m"), dir.resolve("ttl-1m")), html);
    String report = Files.readString(html);

    assertThat(report).contains("<title>FaaSCell replay: ttl-10m vs ttl-1m</title>", "<th>ttl-10m</th><th>ttl-1m</th>",
        "ttl-10m warm (n=", "ttl-1m warm (n=", "ttl 10m", "ttl 1m");
    assertThat(HtmlReport.PLOT_TITLES).allSatisfy(title -> assertThat(report).contains(title));
    assertThat(report).doesNotContainIgnoringCase("<script");
    assertThat(EXTERNAL_REFERENCE.matcher(report).find()).isFalse();
  }

  @Test
  void directoriesOfTheSameNameAreToldApart() {
    ResultsDirectory.write(dir.resolve("a/run"), description("x"), result());
    ResultsDirectory.write(dir.resolve("b/run"), description("y"), result());
    Path html = dir.resolve("both.html");
    ResultsDirectory.compare(List.of(dir.resolve("a/run"), dir.resolve("b/run")), html);
    assertThat(html).content().contains("<th>run</th><th>" + dir.resolve("b/run") + "</th>");
  }
}
