package dev.faascell.vmpool;

import dev.faascell.config.NodeCapacity;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.StartKind;
import java.util.HashMap;
import java.util.Map;

/**
 * What the node has seen of its own starts and runs, per function version ({@code name@version}) and
 * node-wide: moving averages the scaling policy predicts with, and the footprint of restored clones
 * the memory accounting estimates a new clone by.
 */
final class StartHistory {
  /** Weight of the newest observation in each moving average. */
  private static final double WEIGHT = 0.2;
  /** A new clone is estimated at this much more than its function's clones were measured at. */
  private static final double CLONE_MARGIN = 1.2;

  private final NodeCapacity capacity;
  private final Map<String, Double> runNanos = new HashMap<>();
  private final Map<String, Double> restoreNanos = new HashMap<>();
  private final Map<String, Double> bootNanos = new HashMap<>();
  private final Map<String, Double> cloneMb = new HashMap<>();
  private double nodeRestoreNanos;
  private double nodeBootNanos;

  StartHistory(NodeCapacity capacity) {
    this.capacity = capacity;
  }

  void started(String key, StartKind kind, long nanos) {
    if (kind == StartKind.RESTORE) {
      average(restoreNanos, key, nanos);
      nodeRestoreNanos = nodeRestoreNanos == 0 ? nanos : nodeRestoreNanos * (1 - WEIGHT) + nanos * WEIGHT;
    } else if (kind == StartKind.COLD) {
      average(bootNanos, key, nanos);
      nodeBootNanos = nodeBootNanos == 0 ? nanos : nodeBootNanos * (1 - WEIGHT) + nanos * WEIGHT;
    }
  }

  void ran(String key, long nanos) {
    average(runNanos, key, nanos);
  }

  void cloneMeasured(String key, long pssMb) {
    average(cloneMb, key, pssMb);
  }

  /** The function's typical start of this kind, else the node's, else 0. */
  long expectedStartNanos(String key, boolean restore) {
    Double own = (restore ? restoreNanos : bootNanos).get(key);
    return (long) (own != null ? own : restore ? nodeRestoreNanos : nodeBootNanos);
  }

  long expectedRunNanos(String key) {
    return runNanos.getOrDefault(key, 0.0).longValue();
  }

  /**
   * What a new VM of the function is accounted at until it is measured: a clone as its function's
   * clones were measured (the node's restore estimate before one was), a boot as its memory says.
   */
  long estimateMb(FunctionSpec function, boolean restore) {
    if (!restore) {
      return capacity.bootEstimateMb(function.memoryMb());
    }
    Double measured = cloneMb.get(VmPool.keyOf(function));
    return measured == null ? capacity.restoreEstimateMb() : (long) Math.ceil(measured * CLONE_MARGIN);
  }

  private static void average(Map<String, Double> averages, String key, double value) {
    averages.merge(key, value, (old, now) -> old * (1 - WEIGHT) + now * WEIGHT);
  }
}
