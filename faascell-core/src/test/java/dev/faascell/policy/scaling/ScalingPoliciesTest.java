package dev.faascell.policy.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.model.FunctionName;
import org.junit.jupiter.api.Test;

/** The scaling policies, on demands whose durations stand for a virtual clock's readings. */
class ScalingPoliciesTest {
  private static final long MS = 1_000_000L;
  private static final FunctionName F = FunctionName.of("f");
  private final ScalingPolicy expectedWait = new ExpectedWait();

  @Test
  void alwaysStartStartsEvenWhenABusyVmIsAboutToFree() {
    Demand almostDone = new Demand(F, 1, 990 * MS, 0, 1000 * MS, 300 * MS, 0, 2);
    assertThat(new AlwaysStart().decide(almostDone).start()).isTrue();
  }

  @Test
  void expectedWaitWaitsForABusyVmThatFreesBeforeANewOneWouldBeReady() {
    // the busy VM has 10 ms of a 100 ms run left; a restore takes 300 ms
    ScalingPolicy.Decision decision = expectedWait.decide(new Demand(F, 1, 90 * MS, 0, 100 * MS, 300 * MS, 0, 2));
    assertThat(decision.start()).isFalse();
    assertThat(decision.reason()).contains("expected start 300 ms").contains("expected wait 10 ms");
  }

  @Test
  void expectedWaitStartsWhenTheBusyVmRunsLongerThanAStart() {
    // 20 s sleeps and a 300 ms restore: every invocation of a burst gets a VM of its own
    assertThat(expectedWait.decide(new Demand(F, 1, 0, 0, 20_000 * MS, 300 * MS, 0, 2)).start()).isTrue();
    assertThat(expectedWait.decide(new Demand(F, 150, 0, 149, 20_000 * MS, 300 * MS, 2, 2)).start()).isTrue();
  }

  @Test
  void invocationsAlreadyWaitingPushTheWaitOutByWholeRuns() {
    // two busy VMs of a 100 ms function, each 50 ms in; a start takes 180 ms
    Demand first = new Demand(F, 2, 50 * MS, 0, 100 * MS, 180 * MS, 0, 2);
    Demand fifth = new Demand(F, 2, 50 * MS, 4, 100 * MS, 180 * MS, 0, 2);
    assertThat(expectedWait.decide(first).start()).isFalse();    // waits 50 ms
    assertThat(expectedWait.decide(fifth).start()).isTrue();     // waits 50 + 2 x 100 ms
  }

  @Test
  void startsQueuedForASlotMakeAStartSlower() {
    Demand freeSlots = new Demand(F, 1, 0, 0, 1000 * MS, 300 * MS, 0, 2);
    Demand sixAhead = new Demand(F, 1, 0, 0, 1000 * MS, 300 * MS, 6, 2);  // 3 rounds ahead: 1200 ms
    assertThat(expectedWait.decide(freeSlots).start()).isTrue();
    assertThat(expectedWait.decide(sixAhead).start()).isFalse();
  }

  @Test
  void aRunLongerThanTheHistorySaysIsExpectedToLastAsLongAgain() {
    // history: 40 ms runs; this one has run 2 s already; a restore takes 1 s
    ScalingPolicy.Decision decision = expectedWait.decide(new Demand(F, 1, 2000 * MS, 0, 40 * MS, 1000 * MS, 0, 2));
    assertThat(decision.start()).isTrue();
    assertThat(decision.reason()).contains("expected wait 2000 ms");
    // 30 ms in, 10 ms left: waiting wins
    assertThat(expectedWait.decide(new Demand(F, 1, 30 * MS, 0, 40 * MS, 1000 * MS, 0, 2)).start()).isFalse();
  }

  @Test
  void withoutHistoryOrABusyVmItStarts() {
    assertThat(expectedWait.decide(new Demand(F, 0, 0, 5, 100 * MS, 300 * MS, 0, 2)).start()).isTrue();
    assertThat(expectedWait.decide(new Demand(F, 3, 0, 0, 0, 300 * MS, 0, 2)).start()).isTrue();
    assertThat(expectedWait.decide(new Demand(F, 3, 0, 0, 100 * MS, 0, 0, 2)).start()).isTrue();
  }
}
