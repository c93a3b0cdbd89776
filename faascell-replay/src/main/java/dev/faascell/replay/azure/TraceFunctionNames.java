package dev.faascell.replay.azure;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names of the functions deployed for trace functions: {@code trace-} and the first 12 hex digits of
 * the function's hash, lowercased. Two chosen functions with the same 12 digits (one hash in two apps)
 * are told apart by a suffix {@code -2}, {@code -3}, ... in key order.
 */
public final class TraceFunctionNames {
  private static final int HASH_DIGITS = 12;

  private TraceFunctionNames() {
  }

  /** A name for each key, in the keys' order. */
  public static Map<FunctionKey, String> of(List<FunctionKey> keys) {
    Map<FunctionKey, String> names = new LinkedHashMap<>();
    Map<String, Integer> uses = new HashMap<>();
    for (FunctionKey key : keys) {
      String base = "trace-" + prefix(key.function());
      int use = uses.merge(base, 1, Integer::sum);
      names.put(key, use == 1 ? base : base + "-" + use);
    }
    return names;
  }

  /** The first 12 characters of the hash that may appear in a function name (a real hash is all hex). */
  private static String prefix(String hash) {
    StringBuilder prefix = new StringBuilder();
    for (char c : hash.toLowerCase(Locale.ROOT).toCharArray()) {
      if (prefix.length() < HASH_DIGITS && (c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
        prefix.append(c);
      }
    }
    return prefix.length() == 0 ? "unnamed" : prefix.toString();
  }
}
