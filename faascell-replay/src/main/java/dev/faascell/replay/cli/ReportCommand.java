package dev.faascell.replay.cli;

import dev.faascell.replay.report.ResultsDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code report DIR... --out FILE}: several runs side by side in one HTML file. */
@Command(name = "report",
    description = "Render one or more replay results directories into one self-contained HTML report, a column per run "
        + "in the summary table and the runs overlaid in the plots.")
public final class ReportCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Parameters(paramLabel = "DIR", arity = "1..*", description = "results directories written by replay")
  List<Path> directories;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "report.html", description = "the HTML file (default ${DEFAULT-VALUE})")
  Path out;

  @Override
  public Integer call() {
    ResultsDirectory.compare(directories, out);
    System.out.println("wrote " + out);
    return 0;
  }
}
