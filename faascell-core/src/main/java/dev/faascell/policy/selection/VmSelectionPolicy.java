package dev.faascell.policy.selection;

import dev.faascell.model.FunctionName;
import dev.faascell.policy.keepalive.IdleVm;
import java.util.Comparator;
import java.util.List;

/**
 * Which idle VM serves an invocation, and whether a function with a snapshot is restored or booted.
 * Pre-warming ahead of predicted invocations is the keep-alive policy's (KeepAlivePolicy#prewarm).
 */
public interface VmSelectionPolicy {
  String name();

  /** One of {@code candidates} (idle VMs of the invocation's function; never empty). */
  IdleVm pick(List<IdleVm> candidates, long nowNanos);

  /** Whether a start of {@code function}, which has a snapshot, restores it (else it boots cold). */
  boolean restore(FunctionName function);

  /** The default: the most recently used idle VM (so the others can expire), restore when possible. */
  static VmSelectionPolicy mostRecentlyUsed() {
    return named("mru", true);
  }

  /**
   * @param name    mru (most recently used idle VM first) or lru (spread invocations over idle VMs)
   * @param restore false: never restore, boot every new VM (a baseline for experiments)
   */
  static VmSelectionPolicy named(String name, boolean restore) {
    Comparator<IdleVm> recency = Comparator.comparingLong(IdleVm::idleSinceNanos);
    Comparator<IdleVm> order = switch (name) {
      case "mru" -> recency.reversed();
      case "lru" -> recency;
      default -> throw new IllegalArgumentException("unknown VM selection policy '" + name + "'; known: mru, lru");
    };
    return new VmSelectionPolicy() {
      public String name() {
        return name;
      }

      public IdleVm pick(List<IdleVm> candidates, long nowNanos) {
        return candidates.stream().min(order).orElseThrow();
      }

      public boolean restore(FunctionName function) {
        return restore;
      }
    };
  }
}
