package dev.faascell.replay.cli;

import dev.faascell.replay.arrivals.PoissonSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

  @Mixin
  PoissonOptions poisson;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> parameters = new LinkedHashMap<>();
    PoissonSource source = poisson.source(work, run.seed, parameters);
    return ReplayRun.execute(run, "poisson", null, parameters,
        source.ratesPerSecond().keySet().stream().map(work::function).toList(),
        driver -> driver.runOpenLoop(source.schedule()), System.out);
  }
}
