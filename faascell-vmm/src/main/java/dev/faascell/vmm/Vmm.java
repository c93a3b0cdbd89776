package dev.faascell.vmm;

/**
 * A virtual machine monitor driver: starts microVMs and nothing else. It knows nothing of functions,
 * HTTP or actors (as in Firecracker, the VMM core is one small API); the Worker drives one VM through
 * the {@link VmInstance} it returns. The one implementation is {@code qemu.QemuMicrovm}; adding
 * another driver is described in docs/ARCHITECTURE.md.
 */
public interface Vmm {
  /**
   * Starts a VM and returns once its VMM process runs; the guest may still be booting (the guest
   * agent's READY on the channel marks the end of the boot).
   */
  VmInstance launch(VmLaunch launch) throws VmmException;

  /**
   * Starts a VM from a snapshot and returns once the restored guest runs. A snapshot the VMM cannot
   * load (truncated, corrupted, from another VMM version) fails here, and no process is left behind.
   */
  VmInstance restore(VmRestore restore) throws VmmException;

  /**
   * Keeps up to {@code count} VMM processes started with the snapshot of {@code template} loaded and
   * waiting to run, so that its restores skip the process start-up and the load; 0 lets them go. A
   * driver that cannot do this ignores it.
   */
  default void keepRestoresReady(VmRestore template, int count) {
  }

  /** How many VMM processes are ready to run {@code snapshot} now (0 for a driver that keeps none). */
  default int restoresReady(SnapshotFiles snapshot) {
    return 0;
  }

  /** Kills every VM this driver started that is still running (the last line of defence at shutdown). */
  void killAll();

  /** A one-line description for logs and status, e.g. "qemu-microvm 7.2 (tcg)". */
  String describe();
}
