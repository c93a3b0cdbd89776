package dev.faascell.simulator.cli;

import dev.faascell.replay.arrivals.SpeedUp;
import dev.faascell.replay.azure.AzureWorkload;
import dev.faascell.replay.cli.AzureTraceOptions;
import dev.faascell.replay.cli.HelpOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code simulate azure}: an Azure Functions 2019 trace day through the simulated node. */
@Command(name = "azure", description = {"Simulate functions of an Azure Functions 2019 trace day on the node's own "
    + "decision code.", "The trace is read as `replay azure` reads it (the same seed gives the same invocations), "
    + "streamed a minute at a time."})
public final class AzureSimulateCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Spec
  CommandSpec spec;

  @Mixin
  SimulationOptions simulation;

  @Mixin
  AzureTraceOptions trace;

  @Override
  public Integer call() {
    Map<String, String> parameters = new LinkedHashMap<>();
    AzureWorkload workload = trace.workload(spec, simulation.seed, SpeedUp.REAL_TIME, parameters, System.out);
    Duration window = Duration.ofMinutes(workload.minutes());
    return SimulationRun.execute(simulation, "azure", parameters, workload.deployed(), window,
        (simulator, progress) -> simulator.run(workload.arrivals(), window, progress), System.out);
  }
}
