package dev.faascell.replay.azure;

import java.util.Arrays;
import java.util.Random;

/**
 * A distribution known only by a few percentiles, sampled by its piecewise-linear inverse CDF: a
 * uniform draw u falls between two listed probabilities and the value is interpolated between theirs.
 * Samples therefore lie between the lowest and the highest listed value.
 */
public final class PercentileDistribution {
  private final double[] probabilities;
  private final double[] values;

  /**
   * @param probabilities ascending, from 0 to 1
   * @param values the value at each probability; a value below its predecessor is raised to it (the
   *     published percentiles are rounded, and an inverse CDF must not decrease)
   */
  public PercentileDistribution(double[] probabilities, double[] values) {
    if (probabilities.length < 2 || probabilities.length != values.length
        || probabilities[0] != 0 || probabilities[probabilities.length - 1] != 1) {
      throw new IllegalArgumentException("need values at probabilities from 0 to 1, got " + Arrays.toString(probabilities));
    }
    this.probabilities = probabilities.clone();
    this.values = values.clone();
    for (int i = 1; i < values.length; i++) {
      if (!(this.probabilities[i] > this.probabilities[i - 1])) {
        throw new IllegalArgumentException("probabilities must ascend: " + Arrays.toString(probabilities));
      }
      this.values[i] = Math.max(this.values[i], this.values[i - 1]);
    }
  }

  /** The value at probability {@code p} in [0, 1]. */
  public double valueAt(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("a probability is between 0 and 1, got " + p);
    }
    int upper = 1;
    while (probabilities[upper] < p) {
      upper++;
    }
    double span = probabilities[upper] - probabilities[upper - 1];
    double fraction = (p - probabilities[upper - 1]) / span;
    return values[upper - 1] + fraction * (values[upper] - values[upper - 1]);
  }

  public double sample(Random random) {
    return valueAt(random.nextDouble());
  }

  public double min() {
    return values[0];
  }

  public double max() {
    return values[values.length - 1];
  }
}
