package dev.faascell.model;

import java.util.Locale;

/** How the VM that served an invocation came to be running: every invocation ends with exactly one. */
public enum StartKind {
  /** An idle VM of the function was already running. */
  WARM,
  /** A VM was restored from a snapshot of the function. */
  RESTORE,
  /** A VM was booted from the guest image and the function initialised in it. */
  COLD;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
