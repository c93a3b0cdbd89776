package dev.faascell.replay.cli;

import dev.faascell.replay.arrivals.ClosedLoopSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

  @Mixin
  ClosedLoopOptions loop;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> parameters = new LinkedHashMap<>();
    ClosedLoopSource source = loop.source(work, parameters);
    return ReplayRun.execute(run, "closed", null, parameters,
        source.functions().stream().distinct().map(work::function).toList(),
        driver -> driver.runClosedLoop(source), System.out);
  }
}
