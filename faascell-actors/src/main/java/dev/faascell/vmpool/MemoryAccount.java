package dev.faascell.vmpool;

import java.util.HashMap;
import java.util.Map;

/**
 * The node's memory, as the pool accounts it: every VM by what it costs the host (its estimate at
 * start, raised to its measured footprint once PerfManager sampled it) and the QEMUs kept ready for
 * restores (by their configured cost), against the node's budget;
 * and a hard guard from the host's own MemAvailable, so that no start eats into the reserve the host
 * and the daemon keep, whatever the estimates say.
 */
final class MemoryAccount {
  /**
   * A VM's memory takes a moment to show in MemAvailable (QEMU maps it, the guest touches it): a VM
   * started less than this before the latest host reading is counted on top of that reading.
   */
  static final long SETTLE_NANOS = 2_000_000_000L;

  private record Entry(long accountedMb, long addedAtNanos) {}

  private final long budgetMb;
  private final long reserveMb;
  private final Map<String, Entry> vms = new HashMap<>();
  private long accountedMb;
  private long hostAvailableMb = -1;
  private long hostReadAtNanos;

  MemoryAccount(long budgetMb, long reserveMb) {
    this.budgetMb = budgetMb;
    this.reserveMb = reserveMb;
  }

  long budgetMb() {
    return budgetMb;
  }

  long accountedMb() {
    return accountedMb;
  }

  /** The host's latest MemAvailable reading, or -1 before the first. */
  long hostAvailableMb() {
    return hostAvailableMb;
  }

  long accountedMb(String vmId) {
    Entry entry = vms.get(vmId);
    return entry == null ? 0 : entry.accountedMb();
  }

  void add(String vmId, long estimateMb, long nowNanos) {
    remove(vmId);
    vms.put(vmId, new Entry(estimateMb, nowNanos));
    accountedMb += estimateMb;
  }

  /** A VM is accounted by the larger of its estimate and what it was last measured at. */
  void measured(String vmId, long pssMb) {
    Entry entry = vms.get(vmId);
    if (entry != null && pssMb > entry.accountedMb()) {
      accountedMb += pssMb - entry.accountedMb();
      vms.put(vmId, new Entry(pssMb, entry.addedAtNanos()));
    }
  }

  void remove(String vmId) {
    Entry entry = vms.remove(vmId);
    if (entry != null) {
      accountedMb -= entry.accountedMb();
    }
  }

  void hostAvailable(long availableMb, long nowNanos) {
    hostAvailableMb = availableMb;
    hostReadAtNanos = nowNanos;
  }

  /** MiB to free before a VM of {@code estimateMb} may start; 0 if it fits in the budget and the host. */
  long shortfallMb(long estimateMb, long nowNanos) {
    long shortfall = accountedMb + estimateMb - budgetMb;
    if (hostAvailableMb >= 0) {
      long notYetSeen = 0;
      for (Entry entry : vms.values()) {
        if (entry.addedAtNanos() > hostReadAtNanos - SETTLE_NANOS) {
          notYetSeen += entry.accountedMb();
        }
      }
      shortfall = Math.max(shortfall, reserveMb + notYetSeen + estimateMb - hostAvailableMb);
    }
    return Math.max(0, shortfall);
  }
}
