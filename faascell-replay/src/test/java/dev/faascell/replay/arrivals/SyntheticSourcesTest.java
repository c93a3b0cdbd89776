package dev.faascell.replay.arrivals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.faascell.replay.workload.WorkRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticSourcesTest {
  private static final WorkRequest WORK = new WorkRequest(100, 16);

  @Test
  void poissonArrivalsHaveTheirRatesWithinTheDuration() {
    Schedule schedule = new PoissonSource(Map.of("fast", 20.0, "slow", 0.5), Duration.ofSeconds(600), WORK, 4).schedule();
    long fast = schedule.invocations().stream().filter(i -> i.function().equals("fast")).count();
    long slow = schedule.invocations().stream().filter(i -> i.function().equals("slow")).count();
    assertThat(fast / 600.0).isCloseTo(20, within(0.6));
    assertThat(slow / 600.0).isCloseTo(0.5, within(0.1));
    assertThat(schedule.invocations()).allSatisfy(i -> {
      assertThat(i.offsetNanos()).isBetween(0L, Duration.ofSeconds(600).toNanos());
      assertThat(i.work()).isEqualTo(WORK);
    });
    assertThat(schedule.invocations()).isSortedAccordingTo((a, b) -> Long.compare(a.offsetNanos(), b.offsetNanos()));
  }

  @Test
  void poissonArrivalsAreSeeded() {
    Map<String, Double> rates = Map.of("a", 3.0, "b", 1.0);
    assertThat(new PoissonSource(rates, Duration.ofSeconds(30), WORK, 8).schedule())
        .isEqualTo(new PoissonSource(rates, Duration.ofSeconds(30), WORK, 8).schedule())
        .isNotEqualTo(new PoissonSource(rates, Duration.ofSeconds(30), WORK, 9).schedule());
  }

  @Test
  void badRatesAreRefused() {
    assertThatThrownBy(() -> new PoissonSource(Map.of("a", 0.0), Duration.ofSeconds(1), WORK, 1))
        .hasMessageContaining("rate of a must be a positive number");
  }

  @Test
  void closedLoopClientsShareTheFunctionsRoundRobin() {
    ClosedLoopSource source = new ClosedLoopSource(5, Duration.ofSeconds(1), Duration.ZERO, List.of("a", "b"), WORK);
    assertThat(List.of(0, 1, 2, 3, 4)).extracting(source::functionOf).containsExactly("a", "b", "a", "b", "a");
    assertThatThrownBy(() -> new ClosedLoopSource(0, Duration.ofSeconds(1), Duration.ZERO, List.of("a"), WORK))
        .hasMessageContaining("at least one client");
  }
}
