package dev.faascell.simulator;

/**
 * A simulation's totals.
 *
 * @param idleMbNanos     memory held by idle VMs over time (MiB x virtual ns): the keep-alive's cost
 * @param virtualNanos    virtual time from the start to the last event
 * @param wallNanos       how long the simulation took on this machine
 * @param cpuNanos        the CPU time of the simulating thread (one core)
 * @param events          events processed
 */
public record SimulationTotals(long invocations, long cold, long restore, long warm, long failed, long evicted,
                               double idleMbNanos, long virtualNanos, long wallNanos, long cpuNanos,
                               long events) {
  /** Idle VMs' memory over time in GB-seconds (GiB x s). */
  public double idleGbSeconds() {
    return idleMbNanos / 1024 / 1e9;
  }

  /** Share of the successful invocations that needed a cold boot or a restore. */
  public double coldOrRestoreRate() {
    long ok = cold + restore + warm;
    return ok == 0 ? 0 : (double) (cold + restore) / ok;
  }

  public double coldRate() {
    long ok = cold + restore + warm;
    return ok == 0 ? 0 : (double) cold / ok;
  }

  /** Invocations simulated per second of one core's CPU time. */
  public double invocationsPerCpuSecond() {
    return cpuNanos == 0 ? 0 : invocations / (cpuNanos / 1e9);
  }
}
