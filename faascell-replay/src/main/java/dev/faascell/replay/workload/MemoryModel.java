package dev.faascell.replay.workload;

import java.util.Locale;

/** Where the synthetic function's memory is allocated. */
public enum MemoryModel {
  /**
   * Once, when the function is loaded (INIT), and kept for the VM's life: what a trace app's allocated
   * memory means. Invocations touch nothing more, so their durations are the trace's.
   */
  RESIDENT,
  /** Afresh by every invocation, as its payload asks (under TCG this adds ~15 ms per MiB to each). */
  PER_INVOCATION;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static MemoryModel parse(String text) {
    for (MemoryModel model : values()) {
      if (model.wireName().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return model;
      }
    }
    throw new IllegalArgumentException("unknown memory model '" + text + "'; known: resident, per-invocation");
  }

  @Override
  public String toString() {
    return wireName();
  }
}
