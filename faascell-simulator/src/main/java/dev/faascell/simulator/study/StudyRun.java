package dev.faascell.simulator.study;

import java.util.Map;

/**
 * One point of a policy study: a keep-alive policy, a label for its setting, and the configuration
 * keys (over the study's own) that make it.
 */
public record StudyRun(String policy, String setting, Map<String, Object> config) {
  public StudyRun {
    config = Map.copyOf(config);
  }

  /**
   * The five built-in keep-alive policies, in the settings the study sweeps: none; TTLs of 1, 10 and 60
   * minutes; lru and greedy-dual, which keep VMs while there is room, on a node of {@code smallMb}
   * (on a node with room for every VM they never stop one); hybrid-histogram with its paper defaults.
   */
  public static java.util.List<StudyRun> defaults(long smallMb) {
    String small = smallMb / 1024 + " GiB node";
    return java.util.List.of(
        new StudyRun("none", "", Map.of("faascell.keep-alive.policy", "none")),
        new StudyRun("ttl", "1m", Map.of("faascell.keep-alive.policy", "ttl", "faascell.keep-alive.ttl", "1m")),
        new StudyRun("ttl", "10m", Map.of("faascell.keep-alive.policy", "ttl", "faascell.keep-alive.ttl", "10m")),
        new StudyRun("ttl", "60m", Map.of("faascell.keep-alive.policy", "ttl", "faascell.keep-alive.ttl", "60m")),
        new StudyRun("lru", small, Map.of("faascell.keep-alive.policy", "lru", "faascell.node.memory-mb", smallMb)),
        new StudyRun("greedy-dual", small, Map.of("faascell.keep-alive.policy", "greedy-dual",
            "faascell.node.memory-mb", smallMb)),
        new StudyRun("hybrid-histogram", "", Map.of("faascell.keep-alive.policy", "hybrid-histogram")));
  }
}
