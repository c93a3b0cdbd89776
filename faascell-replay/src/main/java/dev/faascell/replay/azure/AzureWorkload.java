package dev.faascell.replay.azure;

import dev.faascell.replay.arrivals.MinuteSpread;
import dev.faascell.replay.arrivals.Schedule;
import dev.faascell.replay.arrivals.ScheduledInvocation;
import dev.faascell.replay.arrivals.Seeds;
import dev.faascell.replay.arrivals.SpeedUp;
import dev.faascell.replay.workload.MemoryModel;
import dev.faascell.replay.workload.SyntheticFunction;
import dev.faascell.replay.workload.WorkRequest;
import dev.faascell.replay.workload.WorkloadLimits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * What replaying a trace means for the node: one synthetic function per trace function, and the
 * open-loop schedule of their invocations, each asking for a duration drawn from the function's
 * duration percentiles and, in the per-invocation memory model, a memory drawn from its app's, within
 * the limits. In the resident model the function instead allocates its app's median memory when it
 * is loaded. The schedule is made a minute at a time ({@link #arrivals()}), so a day of thousands of
 * functions never sits in memory; every function has its own random streams, so its invocations are
 * the same whichever other functions are chosen, and whichever memory model.
 */
public final class AzureWorkload {
  /** A trace function and the function deployed for it. */
  public record Replayed(TraceFunction trace, SyntheticFunction deployed) {}

  private final List<Replayed> functions;
  private final WorkloadLimits limits;
  private final MinuteSpread spread;
  private final SpeedUp speedUp;
  private final long seed;
  private final MemoryModel model;
  private final int minutes;

  private AzureWorkload(List<Replayed> functions, WorkloadLimits limits, MinuteSpread spread, SpeedUp speedUp,
                        long seed, MemoryModel model, int minutes) {
    this.functions = List.copyOf(functions);
    this.limits = limits;
    this.spread = spread;
    this.speedUp = speedUp;
    this.seed = seed;
    this.model = model;
    this.minutes = minutes;
  }

  public static AzureWorkload of(AzureTrace trace, WorkloadLimits limits, MinuteSpread spread, SpeedUp speedUp, long seed,
                                 MemoryModel model) {
    Map<FunctionKey, String> names = TraceFunctionNames.of(trace.functions().stream().map(TraceFunction::key).toList());
    List<Replayed> functions = new ArrayList<>();
    for (TraceFunction function : trace.functions()) {
      long maxDurationMs = Math.round(Math.min(limits.maxDurationMs(), function.durationMs().max()));
      double memoryMb = model == MemoryModel.RESIDENT ? function.memoryMb().valueAt(0.5) : function.memoryMb().max();
      int cappedMb = (int) Math.round(Math.min(limits.maxMemoryMb(), memoryMb));
      functions.add(new Replayed(function, SyntheticFunction.of(model, names.get(function.key()), cappedMb, maxDurationMs,
          function.key().toString())));
    }
    return new AzureWorkload(functions, limits, spread, speedUp, seed, model, trace.window().minutes());
  }

  /** The window's length in trace minutes. */
  public int minutes() {
    return minutes;
  }

  public List<Replayed> functions() {
    return functions;
  }

  public List<SyntheticFunction> deployed() {
    return functions.stream().map(Replayed::deployed).toList();
  }

  /** The whole schedule, in memory: for replays, whose sender needs it up front. */
  public Schedule schedule() {
    List<ScheduledInvocation> all = new ArrayList<>();
    arrivals().forEachRemaining(all::add);
    return new Schedule(all);
  }

  /** The invocations in the order they are due, made a minute at a time as they are read. */
  public Iterator<ScheduledInvocation> arrivals() {
    return new Iterator<>() {
      private final Random[] arrivalStreams = streams("arrivals/");
      private final Random[] workStreams = streams("work/");
      private int minute;
      private Iterator<ScheduledInvocation> current = List.<ScheduledInvocation>of().iterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && minute < minutes) {
          current = minute(minute++, arrivalStreams, workStreams).iterator();
        }
        return current.hasNext();
      }

      @Override
      public ScheduledInvocation next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  private Random[] streams(String purpose) {
    Random[] streams = new Random[functions.size()];
    for (int i = 0; i < streams.length; i++) {
      streams[i] = Seeds.random(seed, purpose + functions.get(i).trace().key());
    }
    return streams;
  }

  /** One minute's invocations of every function, by due time (ties in function order). */
  private List<ScheduledInvocation> minute(int minute, Random[] arrivalStreams, Random[] workStreams) {
    List<ScheduledInvocation> due = new ArrayList<>();
    for (int i = 0; i < functions.size(); i++) {
      Replayed function = functions.get(i);
      int count = function.trace().countsPerMinute().get(minute);
      if (count == 0) {
        continue;
      }
      for (double within : spread.secondsWithinMinute(count, arrivalStreams[i])) {
        long durationMs = Math.round(Math.min(limits.maxDurationMs(), function.trace().durationMs().sample(workStreams[i])));
        // drawn in both models, so that the durations do not depend on the model
        int memoryMb = (int) Math.round(Math.min(limits.maxMemoryMb(), function.trace().memoryMb().sample(workStreams[i])));
        due.add(new ScheduledInvocation(speedUp.wallNanos(minute * MinuteSpread.MINUTE_SECONDS + within),
            function.deployed().name(), new WorkRequest(durationMs, model == MemoryModel.RESIDENT ? 0 : memoryMb)));
      }
    }
    due.sort(Comparator.comparingLong(ScheduledInvocation::offsetNanos));
    return due;
  }
}
