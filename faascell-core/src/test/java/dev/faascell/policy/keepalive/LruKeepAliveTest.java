package dev.faascell.policy.keepalive;

import static dev.faascell.policy.keepalive.VirtualClock.idleVm;
import static dev.faascell.policy.keepalive.VirtualClock.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LruKeepAliveTest {
  private final KeepAlivePolicy lru = new LruKeepAlive();
  private final List<IdleVm> idle = List.of(idleVm("a", 512, 50), idleVm("b", 128, 10), idleVm("c", 256, 30));

  @Test
  void keepsEveryIdleVmWhileThereIsRoom() {
    assertThat(lru.expired(idle, seconds(1_000_000))).isEmpty();
  }

  @Test
  void evictsTheLeastRecentlyUsedFirstWhateverTheirSize() {
    assertThat(lru.victims(idle, 1024, seconds(60))).extracting(d -> d.vm().vmId()).containsExactly("vm-b", "vm-c", "vm-a");
  }
}
