package dev.faascell.simulator;

/** Told how far a simulation is, every few tens of thousands of events and once at its end. */
public interface SimulationProgress {
  SimulationProgress NONE = new SimulationProgress() {
    @Override
    public void update(long invocations, long virtualNanos) {
    }

    @Override
    public void finish(long invocations, long virtualNanos) {
    }
  };

  void update(long invocations, long virtualNanos);

  void finish(long invocations, long virtualNanos);
}
