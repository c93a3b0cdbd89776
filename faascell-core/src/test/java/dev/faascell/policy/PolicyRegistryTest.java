package dev.faascell.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.faascell.config.FaascellConfig;
import dev.faascell.model.FunctionName;
import dev.faascell.policy.admission.QueuedInvocation;
import dev.faascell.policy.keepalive.IdleVm;
import dev.faascell.policy.keepalive.TtlKeepAlive;
import dev.faascell.policy.spi.Knob;
import dev.faascell.policy.spi.PolicyProvider;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyRegistryTest {
  private static final Config REFERENCE = ConfigFactory.defaultReference();

  private static Config selecting(PolicyFamily<?> family, String policy, Map<String, ?> settings) {
    Map<String, Object> overrides = new java.util.HashMap<>(settings);
    overrides.put(family.section() + ".policy", policy);
    return FaascellConfig.from(ConfigFactory.parseMap(overrides)).raw();
  }

  static Stream<Arguments> everyBuiltIn() {
    return PolicyRegistry.FAMILIES.stream()
        .flatMap(family -> family.builtIns().stream().map(policy -> Arguments.of(family, policy.name())));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("everyBuiltIn")
  void everyBuiltInIsCreatedByItsNameWithTheReferenceDefaults(PolicyFamily<?> family, String name) throws Exception {
    Object policy = family.create(selecting(family, name, Map.of()));
    // every family's interface has name(), which logs and metrics tag with: it must be the configured one
    Method policyName = policy.getClass().getMethod("name");
    policyName.setAccessible(true);
    assertThat(policyName.invoke(policy)).isEqualTo(name);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("everyBuiltIn")
  void everyKnobOfABuiltInIsInReferenceConfWithItsDefault(PolicyFamily<?> family, String name) {
    List<Knob> knobs = family.provider(name).knobs();
    for (Knob knob : knobs) {
      String path = family.section() + "." + knob.key();
      assertThat(REFERENCE.hasPath(path)).as(path + " in reference.conf").isTrue();
      assertThat(knob.isDefault(REFERENCE.getValue(path)))
          .as(path + ": reference.conf says " + REFERENCE.getValue(path).render() + ", the knob " + knob.defaultValue())
          .isTrue();
    }
  }

  @Test
  void everyFamilysDefaultIsOneOfItsBuiltIns() {
    for (PolicyFamily<?> family : PolicyRegistry.FAMILIES) {
      assertThat(family.builtIns()).extracting(PolicyProvider::name).contains(family.configuredName(REFERENCE));
    }
  }

  @Test
  void theDefaultKeepAliveIsOpenWhisksTenMinuteTtl() {
    var policy = PolicyRegistry.KEEP_ALIVE.create(REFERENCE);
    assertThat(policy).isInstanceOf(TtlKeepAlive.class);
    var vm = new IdleVm("vm-1", FunctionName.of("f"), 128, 0, 1, 1);
    assertThat(policy.expired(List.of(vm), 599_000_000_000L)).isEmpty();
    assertThat(policy.expired(List.of(vm), 600_000_000_000L)).hasSize(1);
  }

  @Test
  void aKnobChangesThePolicyItBelongsTo() {
    var selection = PolicyRegistry.VM_SELECTION.create(selecting(PolicyRegistry.VM_SELECTION, "lru",
        Map.of("faascell.vm-selection.restore", false)));
    assertThat(selection.restore(FunctionName.of("f"))).isFalse();
  }

  @Test
  void anUnknownNameListsTheKnownOnesBuiltInAndPluggedIn() {
    assertThatThrownBy(() -> PolicyRegistry.KEEP_ALIVE.create(selecting(PolicyRegistry.KEEP_ALIVE, "mystery", Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown keep-alive policy 'mystery' (faascell.keep-alive.policy); known: greedy-dual,"
            + " hybrid-histogram, largest-first, lru, none, ttl");
    assertThatThrownBy(() -> PolicyRegistry.PLACEMENT.provider("random"))
        .hasMessage("unknown placement policy 'random' (faascell.snapshots.placement.policy); known: recency");
  }

  @Test
  void aProviderOnTheClasspathIsFoundAfterTheBuiltInsWithItsOwnSettings() {
    assertThat(PolicyRegistry.QUEUE.implementations()).extracting(PolicyProvider::name)
        .containsExactly("fifo", "sejf", "lifo");
    List<QueuedInvocation> arrivals = List.of(new QueuedInvocation(1, FunctionName.of("a"), 10),
        new QueuedInvocation(2, FunctionName.of("b"), 20));
    var lifo = PolicyRegistry.QUEUE.create(selecting(PolicyRegistry.QUEUE, "lifo", Map.of()));
    assertThat(lifo.order(arrivals, Map.of())).extracting(QueuedInvocation::arrival).containsExactly(2L, 1L);
    var reversed = PolicyRegistry.QUEUE.create(selecting(PolicyRegistry.QUEUE, "lifo",
        Map.of("faascell.dispatcher.lifo.reversed", true)));
    assertThat(reversed.order(arrivals, Map.of())).extracting(QueuedInvocation::arrival).containsExactly(1L, 2L);
  }
}
