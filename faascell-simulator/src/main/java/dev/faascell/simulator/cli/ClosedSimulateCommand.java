package dev.faascell.simulator.cli;

import dev.faascell.replay.arrivals.ClosedLoopSource;
import dev.faascell.replay.cli.ClosedLoopOptions;
import dev.faascell.replay.cli.HelpOption;
import dev.faascell.replay.cli.WorkOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code simulate closed}: N clients, each invoking again once answered, through the simulated node. */
@Command(name = "closed", description = "Simulate a closed loop: N clients each invoke, wait, think, and invoke again.")
public final class ClosedSimulateCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Mixin
  SimulationOptions simulation;

  @Mixin
  WorkOptions work;

  @Mixin
  ClosedLoopOptions loop;

  @Override
  public Integer call() {
    Map<String, String> parameters = new LinkedHashMap<>();
    ClosedLoopSource source = loop.source(work, parameters);
    return SimulationRun.execute(simulation, "closed", parameters,
        source.functions().stream().distinct().map(work::function).toList(), loop.duration(),
        (simulator, progress) -> simulator.run(source, progress), System.out);
  }
}
