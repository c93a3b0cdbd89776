package dev.faascell.worker;

import dev.faascell.config.FaascellConfig.ResumeSettings;
import dev.faascell.config.FaascellConfig.WorkerSettings;
import dev.faascell.guest.image.GuestImage;
import dev.faascell.sink.Sink;
import dev.faascell.perf.PerfManager;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.snapshot.SnapshotRecord;
import io.micrometer.core.instrument.MeterRegistry;
import dev.faascell.vmm.Vmm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What every Worker of a node shares: the VMM driver, the guest image, timeouts, the executor for
 * blocking VM operations, the Sink and SnapshotManager, where RAM files and new snapshots go, and the
 * clock (System::nanoTime, or a virtual one in tests).
 *
 * @param ramDir        guest RAM files of VMs that will be snapshotted (tmpfs)
 * @param stagingDir    where a Worker writes a snapshot before the SnapshotManager adopts it
 * @param resume        how a restored guest learns the clock and fresh entropy (faascell.snapshots.resume, .reseed)
 * @param measureHost   sample the VMM process's CPU time, faults and memory around each invocation
 */
public record WorkerContext(Vmm vmm, GuestImage image, WorkerSettings settings, Duration restoreTimeout, ResumeSettings resume,
                            Executor io,
                            ActorRef<Sink.Command> sink, ActorRef<SnapshotManager.Command> snapshots, Path ramDir,
                            Path stagingDir, LongSupplier nanoClock, boolean measureHost,
                            ActorRef<PerfManager.Command> perf, MeterRegistry metrics) {

  /** Whether the snapshot is on the fastest tier, where Workers stage theirs and the background re-hashes them. */
  public boolean onFastestTier(SnapshotRecord snapshot) {
    return snapshot.directory().toAbsolutePath().normalize().startsWith(stagingDir.toAbsolutePath().normalize().getParent());
  }
}
