package dev.faascell.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.faascell.config.FaascellConfig;
import dev.faascell.model.StartKind;
import dev.faascell.replay.arrivals.PoissonSource;
import dev.faascell.replay.arrivals.ScheduledInvocation;
import dev.faascell.replay.workload.SyntheticFunction;
import dev.faascell.replay.workload.WorkRequest;
import dev.faascell.simulator.calibration.Calibration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SimulatorTest {
  private static final WorkRequest WORK = new WorkRequest(100, 16);

  static SimulationSettings settings(Map<String, Object> flags, long seed) {
    Map<String, Object> all = new java.util.HashMap<>(Map.of("faascell.node.memory-mb", 8192,
        "faascell.node.start-slots", 2));
    all.putAll(flags);
    return SimulationSettings.of(FaascellConfig.from(ConfigFactory.parseMap(all)), Calibration.shipped(), seed,
        Duration.ofMinutes(1));
  }

  static List<SyntheticFunction> functions(String... names) {
    return java.util.Arrays.stream(names).map(n -> SyntheticFunction.sizedFor(n, 16, 100, "test")).toList();
  }

  private static List<SimulatedInvocation> simulate(SimulationSettings settings, List<SyntheticFunction> functions,
                                                    Iterator<ScheduledInvocation> arrivals, Duration horizon) {
    List<SimulatedInvocation> ended = new ArrayList<>();
    new Simulator(settings, functions, ended::add).run(arrivals, horizon, SimulationProgress.NONE);
    return ended;
  }

  private static Iterator<ScheduledInvocation> every(Duration gap, int count, String function) {
    List<ScheduledInvocation> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(new ScheduledInvocation(gap.toNanos() * i, function, WORK));
    }
    return list.iterator();
  }

  @Test
  void theKeepAlivePolicyOfTheConfigurationDecidesWhetherTheNextInvocationIsWarm() {
    // one invocation a minute: a 10-minute TTL keeps the VM, "none" stops it after every run
    var ttl = simulate(settings(Map.of("faascell.keep-alive.policy", "ttl"), 1), functions("f"),
        every(Duration.ofMinutes(1), 10, "f"), Duration.ofMinutes(10));
    var none = simulate(settings(Map.of("faascell.keep-alive.policy", "none"), 1), functions("f"),
        every(Duration.ofMinutes(1), 10, "f"), Duration.ofMinutes(10));

    assertThat(ttl).extracting(SimulatedInvocation::startKind).containsExactly(StartKind.COLD, StartKind.WARM,
        StartKind.WARM, StartKind.WARM, StartKind.WARM, StartKind.WARM, StartKind.WARM, StartKind.WARM, StartKind.WARM,
        StartKind.WARM);
    // the first boot is snapshotted (snapshot policy first-boot), so every later start is a restore
    assertThat(none).extracting(SimulatedInvocation::startKind).first().isEqualTo(StartKind.COLD);
    assertThat(none.subList(1, none.size())).extracting(SimulatedInvocation::startKind).containsOnly(StartKind.RESTORE);
  }

  @Test
  void aColdStartTakesTheCalibratedBootAndInitAndAWarmRunItsDurationPlusOverhead() {
    var ended = simulate(settings(Map.of(), 1), functions("f"), every(Duration.ofSeconds(30), 2, "f"),
        Duration.ZERO);

    SimulatedInvocation cold = ended.get(0);
    assertThat(cold.bootNanos()).isBetween(2_700_000_000L, 6_000_000_000L);
    assertThat(cold.latencyNanos()).isEqualTo(cold.bootNanos() + cold.initNanos() + cold.runNanos());
    SimulatedInvocation warm = ended.get(1);
    assertThat(warm.startKind()).isEqualTo(StartKind.WARM);
    assertThat(warm.latencyNanos()).isBetween(100_900_000L, 114_000_000L);
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOne() {
    PoissonSource load = new PoissonSource(Map.of("a", 3.0, "b", 0.5, "c", 0.05), Duration.ofMinutes(20), WORK, 7);
    var settings = Map.<String, Object>of("faascell.keep-alive.policy", "greedy-dual", "faascell.node.memory-mb", 700);
    var first = simulate(settings(settings, 7), functions("a", "b", "c"), load.schedule().invocations().iterator(),
        Duration.ofMinutes(20));
    var second = simulate(settings(settings, 7), functions("a", "b", "c"), load.schedule().invocations().iterator(),
        Duration.ofMinutes(20));
    var otherSeed = simulate(settings(settings, 8), functions("a", "b", "c"), load.schedule().invocations().iterator(),
        Duration.ofMinutes(20));

    assertThat(first).hasSizeGreaterThan(3000).isEqualTo(second);
    assertThat(otherSeed).isNotEqualTo(first);
    // memory for three VMs of 228 MiB does not fit 700 MiB: greedy-dual evicts, so not every start is the first
    assertThat(first).filteredOn(i -> i.startKind() == StartKind.RESTORE).isNotEmpty();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)   // a guard against a hang, not a performance check
  void aDayOfFourFunctionsRunsThroughInOneGo() {
    PoissonSource load = new PoissonSource(Map.of("a", 0.03, "b", 0.015, "c", 0.005, "d", 0.002),
        Duration.ofHours(24), WORK, 3);
    List<SimulatedInvocation> ended = new ArrayList<>();
    SimulationTotals totals = new Simulator(settings(Map.of(), 3), functions("a", "b", "c", "d"), ended::add)
        .run(load.schedule().invocations().iterator(), Duration.ofHours(24), SimulationProgress.NONE);

    assertThat(totals.invocations()).isEqualTo(load.schedule().size()).isBetween(4000L, 5000L);
    assertThat(ended).allMatch(SimulatedInvocation::succeeded);
    assertThat(totals.virtualNanos()).isGreaterThanOrEqualTo(Duration.ofHours(24).toNanos());
    assertThat(totals.idleGbSeconds()).isPositive();
    System.out.printf("24 h, 4 functions: %d invocations simulated in %.3f s%n", totals.invocations(),
        totals.wallNanos() / 1e9);
  }
}
