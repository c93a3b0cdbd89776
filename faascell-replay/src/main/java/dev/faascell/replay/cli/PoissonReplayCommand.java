package dev.faascell.replay.cli;

import dev.faascell.replay.arrivals.PoissonSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code replay poisson}: open-loop Poisson arrivals per function. */
@Command(name = "poisson",
    description = "Invoke synthetic functions by independent Poisson processes of the given rates, open loop.")
public final class PoissonReplayCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Mixin
  RunOptions run;

  @Mixin
  WorkOptions work;

  @Option(names = "--rate", paramLabel = "FUNCTION=RATE", required = true,
      description = "a function and its mean invocations per second, e.g. --rate fn=2.5; repeat for more functions")
  Map<String, Double> rates;

  @Option(names = "--duration", paramLabel = "DURATION", required = true, converter = DurationConverter.class,
      description = "how long arrivals are generated, e.g. 60s")
  Duration duration;

  @Override
  public Integer call() throws InterruptedException {
    PoissonSource source = new PoissonSource(rates, duration, work.work(), run.seed);
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("rates per second", source.ratesPerSecond().toString());
    parameters.put("duration", duration.toString());
    work.describeInto(parameters);
    return ReplayRun.execute(run, "poisson", null, parameters,
        source.ratesPerSecond().keySet().stream().map(work::function).toList(),
        driver -> driver.runOpenLoop(source.schedule()), System.out);
  }
}
