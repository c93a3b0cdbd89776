package dev.faascell.server;

import dev.faascell.config.FaascellConfig;
import dev.faascell.dispatcher.Dispatcher;
import dev.faascell.sink.Sink;
import dev.faascell.vmpool.VmPool;
import dev.faascell.worker.WorkerContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import dev.faascell.config.NodeCapacity;
import dev.faascell.policy.PolicyRegistry;
import dev.faascell.snapshot.SnapshotCatalog;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.snapshot.Tier;
import dev.faascell.vmm.SnapshotFormat;
import java.time.Clock;
import java.util.List;
import dev.faascell.perf.PerfManager;
import dev.faascell.sink.InflightJournal;
import java.nio.file.Path;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The root of the actor tree: spawns Sink, SnapshotManager, VmPool and Dispatcher and hands their references out. */
final class NodeGuardian {
  /** The actors the rest of the node talks to. */
  record Refs(ActorRef<Dispatcher.Command> dispatcher, ActorRef<VmPool.Command> pool, ActorRef<Sink.Command> sink,
              ActorRef<SnapshotManager.Command> snapshots, ActorRef<PerfManager.Command> perf) {}

  /** The parts of the Worker context that only exist once the actors do. */
  record ActorParts(ActorRef<Sink.Command> sink, ActorRef<SnapshotManager.Command> snapshots,
                    ActorRef<PerfManager.Command> perf) {}

  /** What the SnapshotManager starts with. */
  record SnapshotSetup(List<Tier> tiers, SnapshotCatalog catalog, String platform, List<SnapshotRecord> existing) {}

  /** What the Sink starts with: the in-flight journal, and what an earlier run left in it. */
  record SinkSetup(InflightJournal.Recovered journal) {}

  private NodeGuardian() {
  }

  /** @param workers the Worker context, built once the Sink and SnapshotManager exist */
  static Behavior<Void> create(FaascellConfig config, NodeCapacity capacity, MeterRegistry metrics, SinkSetup sinkSetup,
                               SnapshotSetup snapshotSetup, Function<ActorParts, WorkerContext> workers,
                               CompletableFuture<Refs> refs) {
    // made before any actor, so that an unknown policy name fails the start at once, naming the known ones
    var placement = PolicyRegistry.PLACEMENT.create(config.raw());
    var snapshotSettings = config.snapshots();
    var policies = new VmPool.Policies(PolicyRegistry.KEEP_ALIVE.create(config.raw()),
        config.keepAliveCheckInterval(), PolicyRegistry.VM_SELECTION.create(config.raw()),
        PolicyRegistry.SCALING.create(config.raw()), PolicyRegistry.SNAPSHOT.create(config.raw()),
        SnapshotFormat.parse(snapshotSettings.format()), snapshotSettings.prestartedPerSnapshot(),
        snapshotSettings.prestartMemoryMb(), snapshotSettings.restoreRetries());
    var queue = PolicyRegistry.QUEUE.create(config.raw());
    return Behaviors.setup(ctx -> {
      var trace = config.trace();
      var traceSettings = new Sink.TraceSettings(trace.getBoolean("enabled"), Path.of(trace.getString("file")),
          trace.getBytes("max-file-bytes"), trace.getInt("keep-files"), trace.getInt("ring-size"));
      ActorRef<Sink.Command> sink = ctx.spawn(Sink.create(metrics, System::nanoTime, traceSettings, sinkSetup.journal()),
          "sink");
      ActorRef<PerfManager.Command> perf = ctx.spawn(PerfManager.create(config.perf().getDuration("sample-interval"),
          metrics), "perf-manager");
      ActorRef<SnapshotManager.Command> snapshots = ctx.spawn(SnapshotManager.create(snapshotSetup.tiers(),
          placement, snapshotSetup.catalog(), snapshotSetup.platform(), snapshotSetup.existing(),
          Clock.systemUTC(), snapshotSettings.verification(), metrics), "snapshot-manager");
      ActorRef<VmPool.Command> pool = ctx.spawn(VmPool.create(capacity, policies,
          workers.apply(new ActorParts(sink, snapshots, perf))), "vm-pool");
      ActorRef<Dispatcher.Command> dispatcher = ctx.spawn(Dispatcher.create(config.dispatcher(), queue, pool, sink,
          metrics, System::nanoTime), "dispatcher");
      refs.complete(new Refs(dispatcher, pool, sink, snapshots, perf));
      return Behaviors.empty();
    });
  }
}
