package dev.faascell.worker;

import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.model.Invocation;
import dev.faascell.vmm.VmInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started VM as its Worker holds it: the VMM's instance, the session with its guest agent, the file
 * its RAM lives in when it is to be snapshotted, and whether it is a restored guest whose clock and
 * entropy its next RUN must bring up to date. Its blocking methods run on the I/O executor.
 */
record LiveVm(VmInstance instance, GuestSession session, Optional<Path> ramFile, boolean needsResume) {
  private static final Logger log = LoggerFactory.getLogger(LiveVm.class);

  /**
   * Opens the session with the agent of a VM the VMM just started; a VM whose agent cannot be reached
   * is killed here (after its console and VMM log are read for the error), so it never leaks. Blocks.
   */
  static LiveVm connect(VmInstance instance, Optional<Path> ramFile, Duration timeout, WorkerContext context,
                        GuestSession.Listener listener) {
    try {
      return new LiveVm(instance, GuestSession.open(instance, timeout, context.settings().maxGuestFrameBytes(),
          context.io(), context.measureHost(), context.nanoClock(), listener), ramFile, false);
    } catch (IOException e) {
      String diagnostics = instance.diagnostics();
      instance.kill();
      deleteRamFile(ramFile);
      throw new StartFailure(e.getMessage() + (diagnostics.isBlank() ? "" : " [" + diagnostics + "]"), false);
    }
  }

  /** The RUN of {@code invocation}; a restored guest's first brings its clock and entropy up to date. */
  HostRequest.Run runRequest(Invocation invocation, WorkerContext context) {
    return new HostRequest.Run(invocation.payload(), invocation.id(),
        needsResume ? Optional.of(Restore.resumeFor(context)) : Optional.empty());
  }

  /** The same VM, restored: its next RUN carries the clock and entropy. */
  LiveVm awaitingResume() {
    return new LiveVm(instance, session, ramFile, true);
  }

  /** The same VM, up to date. */
  LiveVm resumed() {
    return new LiveVm(instance, session, ramFile, false);
  }

  /** Ends the VM: killed at once, or asked to quit within {@code graceMillis}; its RAM file goes too. Blocks. */
  void end(boolean kill, long graceMillis) {
    session.close();
    if (kill) {
      instance.kill();
    } else {
      instance.stop(graceMillis);
    }
    deleteRamFile(ramFile);
  }

  static void deleteRamFile(Optional<Path> ramFile) {
    ramFile.ifPresent(ram -> {
      try {
        Files.deleteIfExists(ram);
      } catch (IOException e) {
        log.warn("event=ram-file-not-deleted file={} reason=\"{}\"", ram, e.getMessage());
      }
    });
  }
}
