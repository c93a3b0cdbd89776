package dev.faascell.policy.keepalive.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.faascell.config.FaascellConfig;
import dev.faascell.model.FunctionName;
import dev.faascell.policy.PolicyRegistry;
import dev.faascell.policy.keepalive.IdleVm;
import dev.faascell.policy.keepalive.KeepAlivePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The docs/POLICIES.md example: unit-tested on a virtual clock, and found by name through ServiceLoader. */
class LargestFirstKeepAliveTest {
  private static final long S = 1_000_000_000L;

  private static IdleVm vm(String id, int memoryMb, long idleSince) {
    return new IdleVm(id, FunctionName.of(id), memoryMb, idleSince, 1, S);
  }

  @Test
  void evictsTheLargestIdleVmFirstAndExpiresAfterTheMaximumIdleTime() {
    KeepAlivePolicy policy = new LargestFirstKeepAlive(Duration.ofSeconds(60));
    List<IdleVm> idle = List.of(vm("small", 128, 0), vm("big", 1024, 30 * S), vm("medium", 512, 10 * S));
    assertThat(policy.victims(idle, 256, 40 * S)).extracting(d -> d.vm().vmId()).containsExactly("big", "medium", "small");
    assertThat(policy.expired(idle, 59 * S)).isEmpty();
    assertThat(policy.expired(idle, 70 * S)).extracting(d -> d.vm().vmId()).containsExactly("small", "medium");
  }

  @Test
  void isSelectableByNameFromTheConfiguration() {
    var config = FaascellConfig.from(ConfigFactory.parseMap(Map.of(
        "faascell.keep-alive.policy", "largest-first", "faascell.keep-alive.largest-first.max-idle", "2m")));
    KeepAlivePolicy policy = PolicyRegistry.KEEP_ALIVE.create(config.raw());
    assertThat(policy).isInstanceOf(LargestFirstKeepAlive.class);
    assertThat(policy.expired(List.of(vm("x", 128, 0)), 119 * S)).isEmpty();
    assertThat(policy.expired(List.of(vm("x", 128, 0)), 120 * S)).hasSize(1);
  }
}
