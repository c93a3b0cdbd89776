package dev.faascell.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** FaaSCell's benchmarks; each prints the table that goes into docs/BENCHMARKS.md. */
@Command(name = "faascell-bench", mixinStandardHelpOptions = true, subcommands = {ColdWarmBenchmark.class, ControlPlaneBenchmark.class, SnapshotBenchmark.class,
    PoliciesBenchmark.class, ObservabilityBenchmark.class, SoakBenchmark.class, BurstBenchmark.class,
    MemorySafetyBenchmark.class, DensityBenchmark.class, StartStormBenchmark.class, WarmThroughputBenchmark.class,
    NetworkBenchmark.class})
public final class BenchMain {
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }
}
