package dev.faascell.server;

import dev.faascell.config.FaascellConfig;
import dev.faascell.dispatcher.Dispatcher;
import dev.faascell.policy.keepalive.KeepAlivePolicies;
import dev.faascell.sink.Sink;
import dev.faascell.vmpool.VmPool;
import dev.faascell.worker.WorkerContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import dev.faascell.policy.placement.PlacementPolicies;
import dev.faascell.config.NodeCapacity;
import dev.faascell.policy.admission.QueuePolicy;
import dev.faascell.policy.scaling.ScalingPolicies;
import dev.faascell.policy.selection.VmSelectionPolicy;
import dev.faascell.policy.snapshot.SnapshotPolicy;
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
    return Behaviors.setup(ctx -> {
      var trace = config.trace();
      var traceSettings = new Sink.TraceSettings(trace.getBoolean("enabled"), Path.of(trace.getString("file")),
          trace.getBytes("max-file-bytes"), trace.getInt("keep-files"), trace.getInt("ring-size"));
      ActorRef<Sink.Command> sink = ctx.spawn(Sink.create(metrics, System::nanoTime, traceSettings, sinkSetup.journal()),
          "sink");
      ActorRef<PerfManager.Command> perf = ctx.spawn(PerfManager.create(config.perf().getDuration("sample-interval"),
          metrics), "perf-manager");
      var snapshotSettings = config.snapshots();
      ActorRef<SnapshotManager.Command> snapshots = ctx.spawn(SnapshotManager.create(snapshotSetup.tiers(),
          PlacementPolicies.named(snapshotSettings.placement()), snapshotSetup.catalog(), snapshotSetup.platform(),
          snapshotSetup.existing(), Clock.systemUTC(), metrics), "snapshot-manager");
      var keepAlive = config.keepAlive();
      var selection = config.vmSelection();
      var policies = new VmPool.Policies(KeepAlivePolicies.create(keepAlive.section()), keepAlive.checkInterval(),
          VmSelectionPolicy.named(selection.getString("policy"), selection.getBoolean("restore")),
          ScalingPolicies.create(config.scaling()), SnapshotPolicy.named(snapshotSettings.policy()),
          SnapshotFormat.parse(snapshotSettings.format()), snapshotSettings.prestartedPerSnapshot(),
          snapshotSettings.restoreRetries());
      ActorRef<VmPool.Command> pool = ctx.spawn(VmPool.create(capacity, policies,
          workers.apply(new ActorParts(sink, snapshots, perf))), "vm-pool");
      var dispatcherSettings = config.dispatcher();
      ActorRef<Dispatcher.Command> dispatcher = ctx.spawn(Dispatcher.create(dispatcherSettings,
          QueuePolicy.named(dispatcherSettings.policy()), pool, sink, metrics, System::nanoTime), "dispatcher");
      refs.complete(new Refs(dispatcher, pool, sink, snapshots, perf));
      return Behaviors.empty();
    });
  }
}
