package dev.faascell.policy.keepalive;

import static dev.faascell.policy.keepalive.VirtualClock.idleVm;
import static dev.faascell.policy.keepalive.VirtualClock.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TtlKeepAliveTest {
  private final KeepAlivePolicy ttl = new TtlKeepAlive(Duration.ofMinutes(10));
  private final List<IdleVm> idle = List.of(idleVm("a", 128, 0), idleVm("b", 128, 300), idleVm("c", 128, 100));

  @Test
  void anIdleVmExpiresOnceItHasBeenIdleForTheTtl() {
    assertThat(ttl.expired(idle, seconds(599.9))).isEmpty();
    assertThat(ttl.expired(idle, seconds(600))).extracting(d -> d.vm().vmId()).containsExactly("vm-a");
    assertThat(ttl.expired(idle, seconds(700))).extracting(d -> d.vm().vmId()).containsExactly("vm-a", "vm-c");
    assertThat(ttl.expired(idle, seconds(700)).get(0).reason()).isEqualTo("idle for 700000 ms >= ttl 600000 ms");
  }

  @Test
  void underMemoryPressureTheLeastRecentlyUsedGoFirst() {
    assertThat(ttl.victims(idle, 256, seconds(400))).extracting(d -> d.vm().vmId()).containsExactly("vm-a", "vm-c", "vm-b");
  }
}
