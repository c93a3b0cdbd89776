package dev.faascell.replay.azure;

import dev.faascell.replay.arrivals.MinuteSpread;
import dev.faascell.replay.arrivals.Schedule;
import dev.faascell.replay.arrivals.ScheduledInvocation;
import dev.faascell.replay.arrivals.Seeds;
import dev.faascell.replay.arrivals.SpeedUp;
import dev.faascell.replay.arrivals.TraceArrivals;
import dev.faascell.replay.workload.SyntheticFunction;
import dev.faascell.replay.workload.WorkRequest;
import dev.faascell.replay.workload.WorkloadLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What replaying a trace means for the node: one synthetic function per trace function, and the
 * open-loop schedule of their invocations, each asking for a duration drawn from the function's
 * duration percentiles and a memory drawn from its app's, within the limits.
 */
public record AzureWorkload(List<Replayed> functions, Schedule schedule) {
  public AzureWorkload {
    functions = List.copyOf(functions);
  }

  /** A trace function and the function deployed for it. */
  public record Replayed(TraceFunction trace, SyntheticFunction deployed) {}

  public static AzureWorkload of(AzureTrace trace, WorkloadLimits limits, MinuteSpread spread, SpeedUp speedUp, long seed) {
    Map<FunctionKey, String> names = TraceFunctionNames.of(trace.functions().stream().map(TraceFunction::key).toList());
    List<Replayed> functions = new ArrayList<>();
    List<ScheduledInvocation> invocations = new ArrayList<>();
    for (TraceFunction function : trace.functions()) {
      String name = names.get(function.key());
      long maxDurationMs = Math.round(Math.min(limits.maxDurationMs(), function.durationMs().max()));
      int maxMemoryMb = (int) Math.round(Math.min(limits.maxMemoryMb(), function.memoryMb().max()));
      functions.add(new Replayed(function, SyntheticFunction.sizedFor(name, maxMemoryMb, maxDurationMs, function.key().toString())));

      Random arrivals = Seeds.random(seed, "arrivals/" + function.key());
      Random work = Seeds.random(seed, "work/" + function.key());
      for (double second : TraceArrivals.seconds(function.countsPerMinute(), spread, arrivals)) {
        long durationMs = Math.round(Math.min(limits.maxDurationMs(), function.durationMs().sample(work)));
        int memoryMb = (int) Math.round(Math.min(limits.maxMemoryMb(), function.memoryMb().sample(work)));
        invocations.add(new ScheduledInvocation(speedUp.wallNanos(second), name, new WorkRequest(durationMs, memoryMb)));
      }
    }
    return new AzureWorkload(functions, new Schedule(invocations));
  }

  public List<SyntheticFunction> deployed() {
    return functions.stream().map(Replayed::deployed).toList();
  }
}
