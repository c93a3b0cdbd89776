package dev.faascell.server;

import dev.faascell.config.FaascellConfig;
import dev.faascell.dispatcher.Dispatcher;
import dev.faascell.policy.keepalive.KeepAlivePolicies;
import dev.faascell.sink.Sink;
import dev.faascell.vmpool.VmPool;
import dev.faascell.worker.WorkerContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The root of the actor tree: spawns Sink, VmPool and Dispatcher and hands their references out. */
final class NodeGuardian {
  /** The actors the rest of the node talks to. */
  record Refs(ActorRef<Dispatcher.Command> dispatcher, ActorRef<VmPool.Command> pool, ActorRef<Sink.Command> sink) {}

  private NodeGuardian() {
  }

  /** @param workers the Worker context, built once the Sink exists */
  static Behavior<Void> create(FaascellConfig config, MeterRegistry metrics,
                               Function<ActorRef<Sink.Command>, WorkerContext> workers, CompletableFuture<Refs> refs) {
    return Behaviors.setup(ctx -> {
      ActorRef<Sink.Command> sink = ctx.spawn(Sink.create(metrics, System::nanoTime), "sink");
      var keepAlive = config.keepAlive();
      ActorRef<VmPool.Command> pool = ctx.spawn(VmPool.create(config.capacity(), KeepAlivePolicies.create(keepAlive),
          keepAlive.checkInterval(), workers.apply(sink)), "vm-pool");
      ActorRef<Dispatcher.Command> dispatcher = ctx.spawn(Dispatcher.create(config.dispatcher(), config.capacity(), pool,
          sink, System::nanoTime), "dispatcher");
      refs.complete(new Refs(dispatcher, pool, sink));
      return Behaviors.empty();
    });
  }
}
