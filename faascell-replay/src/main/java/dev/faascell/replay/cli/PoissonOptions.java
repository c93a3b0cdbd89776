package dev.faascell.replay.cli;

import dev.faascell.replay.arrivals.PoissonSource;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of a Poisson load, shared by {@code replay poisson} and {@code simulate poisson}. */
public final class PoissonOptions {
  @Option(names = "--rate", paramLabel = "FUNCTION=RATE", required = true,
      description = "a function and its mean invocations per second, e.g. --rate fn=2.5; repeat for more functions")
  Map<String, Double> rates;

  @Option(names = "--duration", paramLabel = "DURATION", required = true, converter = DurationConverter.class,
      description = "how long arrivals are generated, e.g. 60s")
  Duration duration;

  public Duration duration() {
    return duration;
  }

  /** The load, asking each invocation for {@code work}'s; {@code parameters} gets its description. */
  public PoissonSource source(WorkOptions work, long seed, Map<String, String> parameters) {
    PoissonSource source = new PoissonSource(rates, duration, work.work(), seed);
    parameters.put("rates per second", source.ratesPerSecond().toString());
    parameters.put("duration", duration.toString());
    work.describeInto(parameters);
    return source;
  }
}
