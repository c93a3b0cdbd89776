package dev.faascell.policy.keepalive;

import static dev.faascell.policy.keepalive.VirtualClock.idleVm;
import static dev.faascell.policy.keepalive.VirtualClock.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.faascell.model.FunctionName;
import java.util.List;
import org.junit.jupiter.api.Test;

class GreedyDualKeepAliveTest {
  private final GreedyDualKeepAlive policy = new GreedyDualKeepAlive();

  private void invoke(String function, int times) {
    for (int i = 0; i < times; i++) {
      policy.invoked(FunctionName.of(function), seconds(i));
    }
  }

  private List<String> victimOrder(IdleVm... idle) {
    return policy.victims(List.of(idle), 128, seconds(100)).stream().map(d -> d.vm().vmId()).toList();
  }

  @Test
  void priorityIsClockPlusFrequencyTimesColdStartCostPerMegabyte() {
    invoke("f", 4);
    // 4 invocations x 1500 ms to start / 300 MiB, clock still 0
    assertThat(policy.priority(idleVm("f", 300, 0, 1.5))).isCloseTo(20.0, within(1e-9));
    assertThat(policy.expired(List.of(idleVm("f", 300, 0)), seconds(1_000_000))).isEmpty();
  }

  @Test
  void rarelyUsedCheapAndLargeVmsAreEvictedFirst() {
    invoke("popular", 10);
    invoke("rare", 1);
    invoke("cheap", 10);
    invoke("large", 10);
    assertThat(victimOrder(idleVm("popular", 128, 0), idleVm("rare", 128, 50), idleVm("cheap", 128, 0, 0.1),
        idleVm("large", 1024, 0))).containsExactly("vm-rare", "vm-cheap", "vm-large", "vm-popular");
  }

  @Test
  void theClockAgesFunctionsNotUsedSinceAnEviction() {
    invoke("old", 10);                                 // 0 + 10 x 1000 / 100 = 100
    invoke("costly", 1);                               // 0 + 1 x 9500 / 100 = 95
    IdleVm old = idleVm("old", 100, 0);
    IdleVm costly = idleVm("costly", 100, 0, 9.5);
    assertThat(victimOrder(old, costly)).containsExactly("vm-costly", "vm-old");
    policy.stopped(costly, seconds(10));
    assertThat(policy.clock()).isCloseTo(95.0, within(1e-9));

    invoke("new", 1);                                  // 95 + 1 x 1000 / 100 = 105
    assertThat(victimOrder(old, idleVm("new", 100, 20))).containsExactly("vm-old", "vm-new");
  }
}
