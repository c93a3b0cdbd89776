package dev.faascell.replay.arrivals;

import java.util.Random;

/**
 * Independent random streams derived from the run's one seed, one per purpose and function, so that,
 * for instance, changing the spread does not change the durations the functions are asked to run.
 */
public final class Seeds {
  private Seeds() {
  }

  /** The stream for {@code purpose} (e.g. "arrivals/" + a function) of the run seeded with {@code seed}. */
  public static Random random(long seed, String purpose) {
    // String.hashCode is specified by the language, so the stream is the same on every JVM
    return new Random(mix(seed ^ mix(purpose.hashCode())));
  }

  /** SplitMix64's finaliser: nearby seeds give unrelated streams. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
