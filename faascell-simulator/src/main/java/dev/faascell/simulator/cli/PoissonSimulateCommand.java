package dev.faascell.simulator.cli;

import dev.faascell.replay.arrivals.PoissonSource;
import dev.faascell.replay.cli.DurationConverter;
import dev.faascell.replay.cli.HelpOption;
import dev.faascell.replay.cli.WorkOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code simulate poisson}: independent Poisson arrivals per function through the simulated node. */
@Command(name = "poisson", description = "Simulate synthetic functions invoked by Poisson processes of the given rates.")
public final class PoissonSimulateCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Mixin
  SimulationOptions simulation;

  @Mixin
  WorkOptions work;

  @Option(names = "--rate", paramLabel = "FUNCTION=RATE", required = true,
      description = "a function and its mean invocations per second, e.g. --rate fn=2.5; repeat for more functions")
  Map<String, Double> rates;

  @Option(names = "--duration", paramLabel = "DURATION", required = true, converter = DurationConverter.class,
      description = "how long arrivals are generated, e.g. 24h")
  Duration duration;

  @Override
  public Integer call() {
    PoissonSource source = new PoissonSource(rates, duration, work.work(), simulation.seed);
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("rates per second", source.ratesPerSecond().toString());
    parameters.put("duration", duration.toString());
    work.describeInto(parameters);
    return SimulationRun.execute(simulation, "poisson", parameters,
        source.ratesPerSecond().keySet().stream().map(work::function).toList(), duration,
        (simulator, progress) -> simulator.run(source.schedule().invocations().iterator(), duration, progress),
        System.out);
  }
}
