package dev.faascell.policy.keepalive;

import static dev.faascell.policy.keepalive.VirtualClock.idleVm;
import static dev.faascell.policy.keepalive.VirtualClock.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NoKeepAliveTest {
  @Test
  void everyIdleVmStopsAtOnce() {
    KeepAlivePolicy none = new NoKeepAlive();
    List<IdleVm> idle = List.of(idleVm("a", 128, 5), idleVm("b", 128, 5));
    assertThat(none.expired(idle, seconds(5))).extracting(d -> d.vm().vmId()).containsExactly("vm-a", "vm-b");
    assertThat(none.expired(idle, seconds(5))).allSatisfy(d -> assertThat(d.reason()).isEqualTo("no keep-alive"));
    assertThat(none.prewarm(Set.of(), seconds(5))).isEmpty();
  }
}
