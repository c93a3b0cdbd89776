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

  /** The most recently used idle VM first, so that the others can expire. */
  static VmSelectionPolicy mostRecentlyUsed(boolean restore) {
    return byIdleSince("mru", Comparator.comparingLong(IdleVm::idleSinceNanos).reversed(), restore);
  }

  /** The least recently used idle VM first, spreading invocations over the idle VMs. */
  static VmSelectionPolicy leastRecentlyUsed(boolean restore) {
    return byIdleSince("lru", Comparator.comparingLong(IdleVm::idleSinceNanos), restore);
  }

  /** @param restore false: never restore, boot every new VM (a baseline for experiments) */
  private static VmSelectionPolicy byIdleSince(String name, Comparator<IdleVm> order, boolean restore) {
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
