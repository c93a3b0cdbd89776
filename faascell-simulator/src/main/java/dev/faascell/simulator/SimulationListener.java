package dev.faascell.simulator;

import dev.faascell.replay.driver.StatusSample;

/** Hears a simulation's results as they happen, so that a long run need not keep them. */
public interface SimulationListener {
  void ended(SimulatedInvocation invocation);

  /** The pool's state at a sampling moment. */
  default void sampled(StatusSample sample) {
  }
}
