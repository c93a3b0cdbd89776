package dev.faascell.replay.azure;

import java.nio.file.Path;

/**
 * The three files of one day of the Azure Functions 2019 trace:
 * {@code invocations_per_function_md.anon.dNN.csv}, {@code function_durations_percentiles.anon.dNN.csv}
 * and {@code app_memory_percentiles.anon.dNN.csv}.
 */
public record AzureTraceFiles(Path invocations, Path durations, Path memory) {
  /** The files of day {@code day} (1-14) as the public data set names them, in {@code directory}. */
  public static AzureTraceFiles ofDay(Path directory, int day) {
    String suffix = String.format(".anon.d%02d.csv", day);
    return new AzureTraceFiles(directory.resolve("invocations_per_function_md" + suffix),
        directory.resolve("function_durations_percentiles" + suffix), directory.resolve("app_memory_percentiles" + suffix));
  }
}
