package dev.faascell.replay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Runs {@code replay} and {@code report} without the {@code faascell} CLI, e.g.
 * {@code java -cp faascell-replay.jar:... dev.faascell.replay.cli.ReplayMain replay azure ...}.
 */
@Command(name = "faascell-replay", mixinStandardHelpOptions = true, description = "FaaSCell load replay and reports.",
    subcommands = {ReplayCommand.class, ReportCommand.class})
public final class ReplayMain {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new ReplayMain());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("faascell-replay: " + e.getMessage());
      return 2;
    });
    return cli;
  }
}
