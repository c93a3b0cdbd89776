package dev.faascell.replay.cli;

import dev.faascell.replay.driver.DriverSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every replay takes: where the node is, where the results go, the seed, lateness, progress. */
public final class RunOptions {
  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:FAASCELL_URL:-http://127.0.0.1:8080}",
      description = "the daemon's API (default: $FAASCELL_URL or ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "results directory: invocations.csv, status.csv, summary.json, report.html")
  Path out;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "seed of every random choice: sampled functions, arrival times, durations, memory (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--late-threshold", paramLabel = "DURATION", defaultValue = "10ms", converter = DurationConverter.class,
      description = "an invocation sent more than this after its due time counts as late (default ${DEFAULT-VALUE})")
  Duration lateThreshold;

  @Option(names = "--no-progress", description = "no progress bar on stderr")
  boolean noProgress;

  DriverSettings driverSettings() {
    DriverSettings defaults = DriverSettings.defaults(URI.create(url));
    return new DriverSettings(defaults.node(), lateThreshold, defaults.statusInterval(), defaults.requestTimeout());
  }
}
