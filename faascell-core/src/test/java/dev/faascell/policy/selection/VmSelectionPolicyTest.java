package dev.faascell.policy.selection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.model.FunctionName;
import dev.faascell.policy.keepalive.IdleVm;
import java.util.List;
import org.junit.jupiter.api.Test;

class VmSelectionPolicyTest {
  private static final FunctionName F = FunctionName.of("f");
  private final List<IdleVm> candidates = List.of(new IdleVm("vm-1", F, 128, 200, 3, 1),
      new IdleVm("vm-2", F, 128, 900, 1, 1), new IdleVm("vm-3", F, 128, 100, 7, 1));

  @Test
  void mostRecentlyUsedPicksTheVmIdleForTheShortestTimeSoThatTheOthersCanExpire() {
    assertThat(VmSelectionPolicy.mostRecentlyUsed(true).pick(candidates, 1000).vmId()).isEqualTo("vm-2");
    assertThat(VmSelectionPolicy.mostRecentlyUsed(true).restore(F)).isTrue();
  }

  @Test
  void leastRecentlyUsedSpreadsInvocationsOverTheIdleVms() {
    assertThat(VmSelectionPolicy.leastRecentlyUsed(true).pick(candidates, 1000).vmId()).isEqualTo("vm-3");
  }

  @Test
  void restoringCanBeTurnedOffForABootOnlyBaseline() {
    assertThat(VmSelectionPolicy.mostRecentlyUsed(false).restore(F)).isFalse();
  }
}
