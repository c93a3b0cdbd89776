package dev.faascell.simulator.study;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.faascell.config.FaascellConfig;
import dev.faascell.replay.arrivals.ScheduledInvocation;
import dev.faascell.replay.report.PolicyStudyReport;
import dev.faascell.replay.workload.SyntheticFunction;
import dev.faascell.simulator.LatencyHistogram;
import dev.faascell.simulator.SimulatedInvocation;
import dev.faascell.simulator.SimulationProgress;
import dev.faascell.simulator.SimulationSettings;
import dev.faascell.simulator.SimulationTotals;
import dev.faascell.simulator.Simulator;
import dev.faascell.simulator.calibration.Calibration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A keep-alive policy study: the same workload simulated once per {@link StudyRun}, each with its own
 * configuration over the study's, on {@code threads} threads at once (each run is single-threaded and
 * seeded, so the results do not depend on how many run together). Only totals and a latency histogram
 * are kept per run, so a day of millions of invocations needs little memory.
 */
public final class PolicyStudy {
  private final Config base;
  private final Calibration calibration;
  private final long seed;
  private final List<SyntheticFunction> functions;
  private final Supplier<Iterator<ScheduledInvocation>> arrivals;
  private final Duration horizon;

  /**
   * @param base      the configuration every run starts from (a file and flags over reference.conf)
   * @param arrivals  a fresh stream of the workload's invocations for each run
   * @param horizon   the end of the workload's window
   */
  public PolicyStudy(Config base, Calibration calibration, long seed, List<SyntheticFunction> functions,
                     Supplier<Iterator<ScheduledInvocation>> arrivals, Duration horizon) {
    this.base = base;
    this.calibration = calibration;
    this.seed = seed;
    this.functions = List.copyOf(functions);
    this.arrivals = arrivals;
    this.horizon = horizon;
  }

  /** Runs every point; {@code done} hears each as it ends. Results are in {@code runs}' order. */
  public List<PolicyStudyReport.Point> run(List<StudyRun> runs, int threads, Consumer<PolicyStudyReport.Point> done)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<PolicyStudyReport.Point>> futures = new ArrayList<>();
      for (StudyRun run : runs) {
        futures.add(pool.submit(() -> {
          PolicyStudyReport.Point point = simulate(run);
          done.accept(point);
          return point;
        }));
      }
      List<PolicyStudyReport.Point> points = new ArrayList<>();
      for (Future<PolicyStudyReport.Point> future : futures) {
        try {
          points.add(future.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("a study run failed: " + e.getCause().getMessage(), e.getCause());
        }
      }
      return points;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One point: the workload under {@code run}'s configuration. */
  public PolicyStudyReport.Point simulate(StudyRun run) {
    FaascellConfig config = FaascellConfig.from(ConfigFactory.parseMap(run.config()).withFallback(base));
    SimulationSettings settings = SimulationSettings.of(config, calibration, seed, Duration.ZERO);
    LatencyHistogram latency = new LatencyHistogram();
    SimulationTotals totals = new Simulator(settings, functions, (SimulatedInvocation invocation) -> {
      if (invocation.succeeded()) {
        latency.add(invocation.latencyNanos() / 1e6);
      }
    }).run(arrivals.get(), horizon, SimulationProgress.NONE);
    return new PolicyStudyReport.Point(run.policy(), run.setting(), totals.invocations(), totals.cold(),
        totals.restore(), totals.warm(), totals.failed(), totals.coldOrRestoreRate(), totals.coldRate(),
        totals.idleGbSeconds(), latency.percentile(50), latency.percentile(99), totals.cpuNanos() / 1e9);
  }
}
