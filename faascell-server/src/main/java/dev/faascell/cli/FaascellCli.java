package dev.faascell.cli;

import dev.faascell.replay.cli.ReplayCommand;
import dev.faascell.replay.cli.ReportCommand;
import dev.faascell.simulator.cli.CalibrateCommand;
import dev.faascell.simulator.cli.SimulateCommand;
import dev.faascell.simulator.cli.TraceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code faascell} command: the daemon, the guest image, and a client for the HTTP API. */
@Command(name = "faascell", mixinStandardHelpOptions = true, version = "faascell 0.1.0",
    description = "Runs serverless functions in microVMs on one node.",
    subcommands = {ServeCommand.class, ImageCommand.class, FnCommand.class, SnapshotCommand.class, StatusCommand.class,
        PoliciesCommand.class, ReplayCommand.class, ReportCommand.class, SimulateCommand.class, CalibrateCommand.class,
        TraceCommand.class})
public final class FaascellCli {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new FaascellCli()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("faascell: " + e.getMessage());
      return e instanceof CliException failure ? failure.exitCode() : 1;
    });
    return cli;
  }
}
