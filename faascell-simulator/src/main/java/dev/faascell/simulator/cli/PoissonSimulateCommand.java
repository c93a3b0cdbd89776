package dev.faascell.simulator.cli;

import dev.faascell.replay.arrivals.PoissonSource;
import dev.faascell.replay.cli.HelpOption;
import dev.faascell.replay.cli.PoissonOptions;
import dev.faascell.replay.cli.WorkOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code simulate poisson}: independent Poisson arrivals per function through the simulated node. */
@Command(name = "poisson", description = "Simulate synthetic functions invoked by Poisson processes of the given rates.")
public final class PoissonSimulateCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Mixin
  SimulationOptions simulation;

  @Mixin
  WorkOptions work;

  @Mixin
  PoissonOptions poisson;

  @Override
  public Integer call() {
    Map<String, String> parameters = new LinkedHashMap<>();
    PoissonSource source = poisson.source(work, simulation.seed, parameters);
    return SimulationRun.execute(simulation, "poisson", parameters,
        source.ratesPerSecond().keySet().stream().map(work::function).toList(), poisson.duration(),
        (simulator, progress) -> simulator.run(source.schedule().invocations().iterator(), poisson.duration(), progress),
        System.out);
  }
}
