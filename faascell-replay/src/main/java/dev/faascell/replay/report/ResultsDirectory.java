package dev.faascell.replay.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.faascell.replay.driver.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A run's results directory: {@code invocations.csv}, {@code status.csv}, {@code summary.json} and
 * {@code report.html}. The CSV files are the record; the summary and the report are computed from them,
 * so a directory can be re-rendered, alone or beside others, at any time.
 */
public final class ResultsDirectory {
  public static final String SUMMARY_FILE = "summary.json";
  public static final String REPORT_FILE = "report.html";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultsDirectory() {
  }

  /** The contents of summary.json. */
  record SummaryFile(RunDescription run, String startedAt, double elapsedMs, Summary summary) {}

  /** Writes a run's four files into {@code directory} (created if missing) and returns the run as reports see it. */
  public static RunData write(Path directory, RunDescription description, RunResult result) {
    RunData run = new RunData(directory.toAbsolutePath().normalize().getFileName().toString(), description,
        result.startedAt().toString(), result.elapsedMs(), result.invocations(), result.status(), result.statusPollFailures());
    try {
      Files.createDirectories(directory);
      InvocationsCsv.write(directory.resolve(InvocationsCsv.FILE), run.invocations());
      StatusCsv.write(directory.resolve(StatusCsv.FILE), run.status());
      JSON.writeValue(directory.resolve(SUMMARY_FILE).toFile(),
          new SummaryFile(description, run.startedAt(), run.elapsedMs(), run.summary()));
      Files.writeString(directory.resolve(REPORT_FILE), HtmlReport.render(List.of(run)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the results to " + directory + ": " + e.getMessage(), e);
    }
    return run;
  }

  /** Reads a results directory back. */
  public static RunData read(Path directory) {
    return read(directory, directory.toAbsolutePath().normalize().getFileName().toString());
  }

  private static RunData read(Path directory, String name) {
    Path summaryFile = directory.resolve(SUMMARY_FILE);
    JsonNode summary;
    try {
      summary = JSON.readTree(summaryFile.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + summaryFile + ": " + e.getMessage(), e);
    }
    RunDescription description = JSON.convertValue(summary.path("run"), RunDescription.class);
    return new RunData(name, description, summary.path("startedAt").asText(), summary.path("elapsedMs").asDouble(),
        InvocationsCsv.read(directory.resolve(InvocationsCsv.FILE)), StatusCsv.read(directory.resolve(StatusCsv.FILE)),
        summary.path("summary").path("node").path("pollFailures").asInt());
  }

  /** Renders several runs side by side into one HTML file; runs are named after their directories. */
  public static void compare(List<Path> directories, Path htmlFile) {
    List<RunData> runs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Path directory : directories) {
      String name = directory.toAbsolutePath().normalize().getFileName().toString();
      // two directories of the same name (a/run, b/run) are told apart by their paths as given
      runs.add(read(directory, names.add(name) ? name : directory.toString()));
    }
    try {
      Path parent = htmlFile.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(htmlFile, HtmlReport.render(runs), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + htmlFile + ": " + e.getMessage(), e);
    }
  }
}
