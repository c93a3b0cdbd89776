package dev.faascell.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The options of the benchmarks on a {@link SampleFunctionNode}: node settings, and an HTML report. */
final class SampleNodeOptions {
  @Option(names = "--set", description = "a node configuration key=value (repeatable), e.g. faascell.perf.enabled=false")
  Map<String, String> overrides = new HashMap<>();

  @Option(names = "--report", description = "write the results as a self-contained HTML report with plots here")
  Path reportFile;

  /** Writes the report {@code html} renders to --report, if given. */
  void writeReport(Supplier<String> html) throws IOException {
    if (reportFile != null) {
      Files.writeString(reportFile, html.get());
    }
  }
}
