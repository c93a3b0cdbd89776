package dev.faascell.policy.keepalive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.model.FunctionName;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ttl policy against a virtual clock (plain longs: no sleeping). */
class TtlKeepAliveTest {
  private static final long SECOND = 1_000_000_000L;
  private final TtlKeepAlive policy = new TtlKeepAlive(Duration.ofSeconds(600));

  private static IdleVm idle(String id, long since) {
    return new IdleVm(id, FunctionName.of("f"), 128, since, 1, SECOND);
  }

  @Test
  void expiresExactlyTheVmsIdleForTheTtl() {
    List<IdleVm> vms = List.of(idle("old", 0), idle("young", 300 * SECOND));
    assertThat(policy.expired(vms, 599 * SECOND)).isEmpty();
    assertThat(policy.expired(vms, 600 * SECOND)).extracting(IdleVm::vmId).containsExactly("old");
    assertThat(policy.expired(vms, 900 * SECOND)).extracting(IdleVm::vmId).containsExactly("old", "young");
  }

  @Test
  void victimsAreLeastRecentlyUsedFirst() {
    List<IdleVm> vms = List.of(idle("b", 20 * SECOND), idle("a", 10 * SECOND), idle("c", 30 * SECOND));
    assertThat(policy.victims(vms, 128, 40 * SECOND)).extracting(IdleVm::vmId).containsExactly("a", "b", "c");
  }

  @Test
  void policiesAreChosenByName() {
    var settings = new dev.faascell.config.FaascellConfig.KeepAliveSettings("ttl", Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThat(KeepAlivePolicies.create(settings).name()).isEqualTo("ttl");
    var unknown = new dev.faascell.config.FaascellConfig.KeepAliveSettings("magic", Duration.ofSeconds(1), Duration.ofSeconds(1));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeepAlivePolicies.create(unknown))
        .hasMessageContaining("unknown keep-alive policy 'magic'");
  }
}
