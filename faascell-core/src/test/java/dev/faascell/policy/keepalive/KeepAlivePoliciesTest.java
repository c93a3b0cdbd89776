package dev.faascell.policy.keepalive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.faascell.config.FaascellConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeepAlivePoliciesTest {
  private static KeepAlivePolicy named(String name) {
    var config = FaascellConfig.from(ConfigFactory.parseMap(Map.of("faascell.keep-alive.policy", name)));
    return KeepAlivePolicies.create(config.keepAlive().section());
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "ttl", "lru", "greedy-dual", "hybrid-histogram"})
  void everyBuiltInPolicyIsCreatedByItsNameWithTheReferenceDefaults(String name) {
    assertThat(named(name).name()).isEqualTo(name);
  }

  @Test
  void theDefaultIsOpenWhisksTenMinuteTtl() {
    var config = FaascellConfig.from(ConfigFactory.empty());
    KeepAlivePolicy policy = KeepAlivePolicies.create(config.keepAlive().section());
    assertThat(policy).isInstanceOf(TtlKeepAlive.class);
    var vm = VirtualClock.idleVm("f", 128, 0);
    assertThat(policy.expired(List.of(vm), VirtualClock.seconds(599))).isEmpty();
    assertThat(policy.expired(List.of(vm), VirtualClock.seconds(600))).hasSize(1);
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> named("mystery")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown keep-alive policy 'mystery'")
        .hasMessageContaining("greedy-dual, hybrid-histogram, largest-first, lru, none, ttl");
  }
}
