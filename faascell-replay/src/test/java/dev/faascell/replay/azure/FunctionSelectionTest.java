package dev.faascell.replay.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionSelectionTest {
  private static FunctionKey key(String function) {
    return new FunctionKey("o", "a", function);
  }

  private static Map<FunctionKey, Long> candidates() {
    Map<FunctionKey, Long> candidates = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      candidates.put(key(String.format("f%02d", i)), (long) (i % 10));
    }
    return candidates;
  }

  @Test
  void topTakesTheMostInvokedWithTiesInKeyOrder() {
    List<FunctionKey> top = FunctionSelection.top(5).choose(candidates(), Map.of());
    // counts 9 (f09, f19, f29, f39) then 8 (f08 first in key order)
    assertThat(top).extracting(FunctionKey::function).containsExactly("f08", "f09", "f19", "f29", "f39");
  }

  @Test
  void topNeverChoosesAFunctionNotInvokedInTheWindow() {
    assertThat(FunctionSelection.top(100).choose(candidates(), Map.of())).hasSize(36);
  }

  @Test
  void aSeededSampleIsReproducibleAndDependsOnTheSeed() {
    List<FunctionKey> first = FunctionSelection.sample(6, 42).choose(candidates(), Map.of());
    List<FunctionKey> again = FunctionSelection.sample(6, 42).choose(new HashMap<>(candidates()), Map.of());
    List<FunctionKey> otherSeed = FunctionSelection.sample(6, 43).choose(candidates(), Map.of());
    assertThat(first).hasSize(6).isSortedAccordingTo(FunctionKey::compareTo).isEqualTo(again).isNotEqualTo(otherSeed);
    assertThat(first).allSatisfy(k -> assertThat(candidates().get(k)).isPositive());
  }

  @Test
  void hashesMatchInAnyCase() {
    assertThat(FunctionSelection.hashes(List.of("F03", "f01")).choose(candidates(), Map.of()))
        .extracting(FunctionKey::function).containsExactly("f01", "f03");
  }
}
