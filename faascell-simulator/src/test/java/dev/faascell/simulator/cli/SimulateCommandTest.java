package dev.faascell.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.replay.report.ResultsDirectory;
import dev.faascell.replay.report.RunData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands as a user types them: generate a day, simulate a slice of it, write a replay's results directory. */
class SimulateCommandTest {
  @TempDir
  Path dir;

  private static int run(Object command, String... args) {
    return new CommandLine(command).execute(args);
  }

  @Test
  void aGeneratedDaySimulatesIntoAResultsDirectoryTheReplayReportReads() throws Exception {
    Path day = dir.resolve("day");
    assertThat(run(new TraceCommand(), "generate", "--functions", "30", "--seed", "2", "--out", day.toString())).isZero();
    Path out = dir.resolve("sim");

    int exit = run(new SimulateCommand(), "azure", "--trace", day.toString(), "--all", "--minutes", "120",
        "--keep-alive", "ttl", "--ttl", "5m", "--memory-mb", "4096", "--no-progress", "--out", out.toString());

    assertThat(exit).isZero();
    for (String file : new String[] {"invocations.csv", "status.csv", "summary.json", "report.html"}) {
      assertThat(out.resolve(file)).exists();
    }
    RunData run = ResultsDirectory.read(out);
    assertThat(run.description().source()).isEqualTo("simulate azure");
    assertThat(run.description().parameters()).containsEntry("keep-alive", "ttl").containsEntry("node memory MB", "4096");
    assertThat(run.invocations()).isNotEmpty().allSatisfy(i -> assertThat(i.startKind()).isIn("cold", "restore", "warm"));
    assertThat(run.status()).isNotEmpty();
    assertThat(Files.readString(out.resolve("report.html"))).contains("<svg");
  }

  @Test
  void anUnknownPolicyStopsTheSimulationNamingTheKnownOnes() {
    CommandLine cli = new CommandLine(new SimulateCommand());
    java.io.StringWriter err = new java.io.StringWriter();
    cli.setErr(new java.io.PrintWriter(err));
    cli.setExecutionExceptionHandler((e, line, parse) -> {
      line.getErr().println(e.getMessage());
      return 1;
    });

    int exit = cli.execute("poisson", "--rate", "f=1", "--duration", "1m", "--keep-alive", "psychic", "--no-progress",
        "--out", dir.resolve("x").toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("psychic").contains("ttl");
  }
}
