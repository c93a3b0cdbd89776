package dev.faascell.config;

import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvalidInputException;
import java.time.Duration;

/** Defaults and bounds of a function's resources (faascell.functions). */
public record FunctionLimits(int defaultMemoryMb, int minMemoryMb, int maxMemoryMb, int defaultVcpus, int maxVcpus,
                             Duration defaultTimeout, Duration maxTimeout) {

  /** Throws with a message naming the field when the spec is outside the node's limits. */
  public void check(FunctionSpec spec) {
    if (spec.memoryMb() < minMemoryMb || spec.memoryMb() > maxMemoryMb) {
      throw new InvalidInputException("memoryMb must be between " + minMemoryMb + " and " + maxMemoryMb
          + ", got " + spec.memoryMb());
    }
    if (spec.vcpus() < 1 || spec.vcpus() > maxVcpus) {
      throw new InvalidInputException("vcpus must be between 1 and " + maxVcpus + ", got " + spec.vcpus());
    }
    if (spec.timeout().toMillis() < 1 || spec.timeout().compareTo(maxTimeout) > 0) {
      throw new InvalidInputException("timeoutMs must be between 1 and " + maxTimeout.toMillis()
          + ", got " + spec.timeout().toMillis());
    }
  }
}
