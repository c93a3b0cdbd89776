package dev.faascell.replay.azure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/** Which functions of the trace are replayed. */
public sealed interface FunctionSelection {
  /**
   * The chosen functions, in key order.
   *
   * @param candidates invocations in the window of each function that has durations and app memory
   * @param unusable why each other function of the invocations file cannot be replayed
   */
  List<FunctionKey> choose(Map<FunctionKey, Long> candidates, Map<FunctionKey, String> unusable);

  /** Describes the selection for the run's summary. */
  String describe();

  /** Every function invoked in the window that has durations and memory. */
  static FunctionSelection all() {
    return new All();
  }

  static FunctionSelection top(int count) {
    return new Top(count);
  }

  static FunctionSelection sample(int count, long seed) {
    return new Sample(count, seed);
  }

  static FunctionSelection hashes(List<String> functionHashes) {
    return new Hashes(functionHashes);
  }

  /** Every usable function invoked in the window, in key order. */
  record All() implements FunctionSelection {
    @Override
    public List<FunctionKey> choose(Map<FunctionKey, Long> candidates, Map<FunctionKey, String> unusable) {
      return candidates.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).sorted().toList();
    }

    @Override
    public String describe() {
      return "every function invoked in the window";
    }
  }

  /** The {@code count} functions with the most invocations in the window (ties: in key order). */
  record Top(int count) implements FunctionSelection {
    public Top {
      requirePositive(count);
    }

    @Override
    public List<FunctionKey> choose(Map<FunctionKey, Long> candidates, Map<FunctionKey, String> unusable) {
      return candidates.entrySet().stream().filter(e -> e.getValue() > 0)
          .sorted(Map.Entry.<FunctionKey, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(count).map(Map.Entry::getKey).sorted().toList();
    }

    @Override
    public String describe() {
      return "top " + count + " by invocations in the window";
    }
  }

  /** {@code count} functions drawn at random, seeded, among those invoked in the window. */
  record Sample(int count, long seed) implements FunctionSelection {
    public Sample {
      requirePositive(count);
    }

    @Override
    public List<FunctionKey> choose(Map<FunctionKey, Long> candidates, Map<FunctionKey, String> unusable) {
      List<FunctionKey> invoked = new ArrayList<>(candidates.entrySet().stream().filter(e -> e.getValue() > 0)
          .map(Map.Entry::getKey).sorted().toList());
      // shuffling a list in a fixed order with a seeded generator gives the same sample every time
      Collections.shuffle(invoked, new Random(seed));
      return invoked.stream().limit(count).sorted().toList();
    }

    @Override
    public String describe() {
      return "random sample of " + count + " invoked in the window, seed " + seed;
    }
  }

  /** The functions with these HashFunction values (any case), in any app. */
  record Hashes(List<String> functionHashes) implements FunctionSelection {
    public Hashes {
      functionHashes = List.copyOf(functionHashes);
      if (functionHashes.isEmpty()) {
        throw new IllegalArgumentException("name at least one function hash");
      }
    }

    @Override
    public List<FunctionKey> choose(Map<FunctionKey, Long> candidates, Map<FunctionKey, String> unusable) {
      List<FunctionKey> chosen = new ArrayList<>();
      for (String hash : functionHashes) {
        List<FunctionKey> matches = matching(candidates.keySet(), hash);
        if (matches.isEmpty()) {
          List<String> reasons = matching(unusable.keySet(), hash).stream().map(unusable::get).toList();
          throw new IllegalArgumentException("function " + hash + (reasons.isEmpty() ? " is not in the invocations file"
              : " cannot be replayed: " + String.join("; ", reasons)));
        }
        chosen.addAll(matches);
      }
      return chosen.stream().distinct().sorted().toList();
    }

    private static List<FunctionKey> matching(Set<FunctionKey> keys, String hash) {
      String wanted = hash.trim().toLowerCase(Locale.ROOT);
      return keys.stream().filter(k -> k.function().toLowerCase(Locale.ROOT).equals(wanted))
          .sorted(Comparator.naturalOrder()).toList();
    }

    @Override
    public String describe() {
      return functionHashes.stream().collect(Collectors.joining(",", "functions ", ""));
    }
  }

  private static void requirePositive(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("select at least one function, got " + count);
    }
  }
}
