package dev.faascell.replay.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code replay}: load a running node from a trace or a synthetic source and record every invocation.
 * The source is a subcommand: {@code azure}, {@code poisson} or {@code closed}.
 */
@Command(name = "replay",
    description = "Replay load against a running node and write invocations.csv, status.csv, summary.json and report.html.",
    subcommands = {AzureReplayCommand.class, PoissonReplayCommand.class, ClosedReplayCommand.class})
public final class ReplayCommand implements Runnable {
  @Mixin
  HelpOption help;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a source: replay azure, replay poisson or replay closed");
  }
}
