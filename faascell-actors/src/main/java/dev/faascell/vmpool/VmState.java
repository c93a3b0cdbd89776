package dev.faascell.vmpool;

import java.util.Locale;

/** What a VM is doing, as the pool accounts it (GET /v1/status, the faascell_vms gauge). */
public enum VmState {
  /** Its start was decided (it may already own the invocation it is for) and waits for a start slot. */
  WAITING_TO_START,
  /** Being restored from its function's snapshot, in a start slot. */
  RESTORING,
  /** Booting cold, in a start slot. */
  BOOTING,
  /** Booted; its function's code is loading, in a start slot. */
  INITIALISING,
  /** Booted and loaded; being snapshotted before it serves anything, in a start slot. */
  SNAPSHOTTING,
  /** Ready for the next invocation of its function; subject to keep-alive. */
  IDLE,
  /** Running an invocation. */
  BUSY,
  /** Being stopped; its resources are released when its Worker reports it gone. */
  STOPPING;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether a VM in this state holds a start slot. */
  public boolean starting() {
    return this == RESTORING || this == BOOTING || this == INITIALISING || this == SNAPSHOTTING;
  }
}
