package dev.faascell.policy.keepalive;

import static dev.faascell.policy.keepalive.VirtualClock.idleVm;
import static dev.faascell.policy.keepalive.VirtualClock.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.model.FunctionName;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reference.conf defaults: 1-minute bins x 240, 5 samples, head 5th and tail 99th percentile, 10% margin. */
class HybridHistogramKeepAliveTest {
  private static final FunctionName TIMER = FunctionName.of("timer");
  private final HybridHistogramKeepAlive policy = new HybridHistogramKeepAlive(new HybridHistogramKeepAlive.Settings(
      Duration.ofMinutes(1), 240, 5, 5, 99, 0.1, Duration.ofMinutes(10)));

  /** Invocations of {@code function} at 0, gap, 2 x gap, ... (count of them); returns the last one's time. */
  private double arrivals(FunctionName function, int count, double gapSeconds) {
    for (int i = 0; i < count; i++) {
      policy.invoked(function, seconds(i * gapSeconds));
    }
    return (count - 1) * gapSeconds;
  }

  @Test
  void tooFewSamplesGiveTheFixedKeepAlive() {
    double last = arrivals(TIMER, 5, 600);             // 4 idle times, 5 needed
    assertThat(policy.windows(TIMER)).isEqualTo(new HybridHistogramKeepAlive.Windows(0, seconds(600), true));
    List<IdleVm> idle = List.of(idleVm("timer", 128, last));
    assertThat(policy.expired(idle, seconds(last + 599))).isEmpty();
    assertThat(policy.expired(idle, seconds(last + 600))).singleElement()
        .satisfies(d -> assertThat(d.reason()).startsWith("fixed keep-alive (too few samples)"));
  }

  @Test
  void aRegularFunctionIsUnloadedThenPrewarmedJustBeforeItsNextInvocation() {
    double last = arrivals(TIMER, 6, 600);             // every 10 minutes: head bin 10, tail bin 10
    var windows = policy.windows(TIMER);
    // pre-warm after 600 s x 0.9 = 540 s; keep until 660 s x 1.1 = 726 s after the last invocation
    assertThat(windows.fallback()).isFalse();
    assertThat(windows.prewarmNanos()).isBetween(seconds(539.9), seconds(540.1));
    assertThat(windows.prewarmNanos() + windows.keepAliveNanos()).isBetween(seconds(725.9), seconds(726.1));

    List<IdleVm> idle = List.of(idleVm("timer", 128, last));
    assertThat(policy.expired(idle, seconds(last + 1))).singleElement()
        .satisfies(d -> assertThat(d.reason()).startsWith("pre-warm window"));

    assertThat(policy.prewarm(Set.of(), seconds(last + 539))).isEmpty();
    assertThat(policy.prewarm(Set.of(TIMER), seconds(last + 541))).isEmpty();
    assertThat(policy.prewarm(Set.of(), seconds(last + 541))).extracting(KeepAlivePolicy.Prewarm::function)
        .containsExactly(TIMER);
    assertThat(policy.prewarm(Set.of(), seconds(last + 542))).as("once per idle period").isEmpty();

    assertThat(policy.expired(idle, seconds(last + 700))).isEmpty();
    assertThat(policy.expired(idle, seconds(last + 727))).singleElement()
        .satisfies(d -> assertThat(d.reason()).startsWith("keep-alive window"));
  }

  @Test
  void aFunctionWithShortIdleTimesIsKeptLoaded() {
    double last = arrivals(TIMER, 10, 30);             // idle times in bin 0: no pre-warm window
    var windows = policy.windows(TIMER);
    assertThat(windows.prewarmNanos()).isZero();
    assertThat(windows.keepAliveNanos()).isBetween(seconds(65.9), seconds(66.1));
    List<IdleVm> idle = List.of(idleVm("timer", 128, last));
    assertThat(policy.expired(idle, seconds(last + 60))).isEmpty();
    assertThat(policy.expired(idle, seconds(last + 67))).hasSize(1);
    assertThat(policy.prewarm(Set.of(), seconds(last + 10))).isEmpty();
  }

  @Test
  void idleTimesMostlyBeyondTheHistogramFallBackToTheFixedKeepAlive() {
    arrivals(TIMER, 8, 5 * 3600);                      // every 5 hours: beyond 240 one-minute bins
    assertThat(policy.windows(TIMER).fallback()).isTrue();
  }

  @Test
  void functionsHaveHistogramsOfTheirOwn() {
    arrivals(TIMER, 6, 600);
    assertThat(policy.windows(FunctionName.of("other")).fallback()).isTrue();
  }
}
