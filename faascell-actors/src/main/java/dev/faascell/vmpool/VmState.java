package dev.faascell.vmpool;

import java.util.Locale;

/** A VM's state as the pool accounts it. */
public enum VmState {
  /** Booting and loading the function (it may already own the job it was started for). */
  STARTING,
  /** Running an invocation. */
  BUSY,
  /** Ready for the next invocation of its function; subject to keep-alive. */
  IDLE,
  /** Being stopped; its resources are released when its Worker reports it gone. */
  STOPPING;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
