package dev.faascell.replay.cli;

import dev.faascell.replay.arrivals.ClosedLoopSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of a closed loop, shared by {@code replay closed} and {@code simulate closed}. */
public final class ClosedLoopOptions {
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

  public Duration duration() {
    return duration;
  }

  /** The loop, asking each invocation for {@code work}'s; {@code parameters} gets its description. */
  public ClosedLoopSource source(WorkOptions work, Map<String, String> parameters) {
    ClosedLoopSource source = new ClosedLoopSource(clients, duration, think, functions, work.work());
    parameters.put("clients", Integer.toString(clients));
    parameters.put("duration", duration.toString());
    parameters.put("think", think.toString());
    parameters.put("functions", String.join(",", source.functions()));
    work.describeInto(parameters);
    return source;
  }
}
