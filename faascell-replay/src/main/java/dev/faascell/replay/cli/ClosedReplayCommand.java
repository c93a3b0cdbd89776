package dev.faascell.replay.cli;

import dev.faascell.replay.arrivals.ClosedLoopSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code replay closed}: N clients, each invoking again once answered. */
@Command(name = "closed",
    description = "Closed loop: N clients each invoke, wait for the reply, think, and invoke again.")
public final class ClosedReplayCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Mixin
  RunOptions run;

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
  public Integer call() throws InterruptedException {
    ClosedLoopSource source = new ClosedLoopSource(clients, duration, think, functions, work.work());
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("clients", Integer.toString(clients));
    parameters.put("duration", duration.toString());
    parameters.put("think", think.toString());
    parameters.put("functions", String.join(",", source.functions()));
    work.describeInto(parameters);
    return ReplayRun.execute(run, "closed", null, parameters,
        source.functions().stream().distinct().map(work::function).toList(),
        driver -> driver.runClosedLoop(source), System.out);
  }
}
