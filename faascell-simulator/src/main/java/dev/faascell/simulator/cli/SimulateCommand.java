package dev.faascell.simulator.cli;

import dev.faascell.replay.cli.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simulate}: a load through the node's own decision code on a virtual clock, no VMs. The source
 * is a subcommand, as for {@code replay}; {@code study} sweeps the keep-alive policies.
 */
@Command(name = "simulate",
    description = "Simulate load on the node's own pool, queue and policies with calibrated costs; writes a replay's "
        + "results directory.",
    subcommands = {AzureSimulateCommand.class, PoissonSimulateCommand.class, ClosedSimulateCommand.class,
        StudyCommand.class})
public final class SimulateCommand implements Runnable {
  @Mixin
  HelpOption help;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "name a source: simulate azure, simulate poisson, simulate closed or simulate study");
  }
}
