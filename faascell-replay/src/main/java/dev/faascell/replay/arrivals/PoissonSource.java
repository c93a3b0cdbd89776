package dev.faascell.replay.arrivals;

import dev.faascell.replay.workload.WorkRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Open-loop synthetic load: each function invoked by its own Poisson process of a given rate for a
 * given time, every invocation asking for the same work.
 *
 * @param ratesPerSecond function name → mean invocations per second
 */
public record PoissonSource(Map<String, Double> ratesPerSecond, Duration duration, WorkRequest work, long seed) {
  public PoissonSource {
    ratesPerSecond = new TreeMap<>(ratesPerSecond);   // a fixed order, so the schedule is reproducible
    ratesPerSecond.forEach((function, rate) -> {
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("the rate of " + function + " must be a positive number of requests per second, got " + rate);
      }
    });
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("the duration must be positive, got " + duration);
    }
  }

  public Schedule schedule() {
    double seconds = duration.toNanos() / 1e9;
    List<ScheduledInvocation> invocations = new ArrayList<>();
    ratesPerSecond.forEach((function, rate) -> {
      Random random = Seeds.random(seed, "poisson/" + function);
      for (double t = exponential(random, rate); t < seconds; t += exponential(random, rate)) {
        invocations.add(new ScheduledInvocation(SpeedUp.REAL_TIME.wallNanos(t), function, work));
      }
    });
    return new Schedule(invocations);
  }

  private static double exponential(Random random, double rate) {
    return -Math.log(1 - random.nextDouble()) / rate;
  }
}
