package dev.faascell.simulator.cli;

import dev.faascell.replay.arrivals.ClosedLoopSource;
import dev.faascell.replay.cli.DurationConverter;
import dev.faascell.replay.cli.HelpOption;
import dev.faascell.replay.cli.WorkOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code simulate closed}: N clients, each invoking again once answered, through the simulated node. */
@Command(name = "closed", description = "Simulate a closed loop: N clients each invoke, wait, think, and invoke again.")
public final class ClosedSimulateCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Mixin
  SimulationOptions simulation;

  @Mixin
  WorkOptions work;

  @Option(names = "--clients", paramLabel = "N", required = true, description = "concurrent clients")
  int clients;

  @Option(names = "--duration", paramLabel = "DURATION", required = true, converter = DurationConverter.class,
      description = "how long clients keep sending, e.g. 60s")
  Duration duration;

  @Option(names = "--think", paramLabel = "DURATION", defaultValue = "0ms", converter = DurationConverter.class,
      description = "pause between a reply and the client's next invocation (default ${DEFAULT-VALUE})")
  Duration think;

  @Option(names = "--function", paramLabel = "NAME", defaultValue = "replay-closed",
      description = "functions to invoke, client i invoking the (i mod count)-th; repeatable (default ${DEFAULT-VALUE})")
  List<String> functions;

  @Override
  public Integer call() {
    ClosedLoopSource source = new ClosedLoopSource(clients, duration, think, functions, work.work());
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("clients", Integer.toString(clients));
    parameters.put("duration", duration.toString());
    parameters.put("think", think.toString());
    parameters.put("functions", String.join(",", source.functions()));
    work.describeInto(parameters);
    return SimulationRun.execute(simulation, "closed", parameters,
        source.functions().stream().distinct().map(work::function).toList(), duration,
        (simulator, progress) -> simulator.run(source, progress), System.out);
  }
}
