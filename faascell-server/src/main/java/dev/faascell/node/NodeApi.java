package dev.faascell.node;

import com.fasterxml.jackson.core.JsonFactory;
import dev.faascell.config.FunctionLimits;
import dev.faascell.dispatcher.Dispatcher;
import dev.faascell.invocation.Job;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvalidInputException;
import dev.faascell.model.Invocation;
import dev.faascell.model.InvocationResult;
import dev.faascell.perf.PerfManager;
import dev.faascell.registry.DeployedFunction;
import dev.faascell.registry.FunctionRegistry;
import dev.faascell.sink.Sink;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.snapshot.SnapshotOutcome;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.store.StoreException;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.vmpool.PoolStatus;
import dev.faascell.vmpool.VmPool;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The node as every Source sees it (the HTTP API, the Lambda API, the Kafka Source, the OpenWhisk
 * invoker): functions, invocations, snapshots, status and metrics, as methods that answer with plain
 * records or a {@link CompletionStage} of one. It hides the actors' protocols, and it keeps the store
 * off the callers' threads: deploys and deletes run on the node's one store thread, so that no HTTP
 * thread waits on SQLite and the database sees one writer at a time.
 */
public final class NodeApi implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();
  /** How long a question to an actor may take: they answer from memory, so only a stuck node takes longer. */
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
  /** A snapshot boots a VM and writes its memory out. */
  private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(5);
  /** The cluster's heartbeat asks often and must not lag behind the node. */
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(2);

  /** The actors behind the facade. */
  public record Actors(ActorRef<Dispatcher.Command> dispatcher, ActorRef<VmPool.Command> pool,
                       ActorRef<SnapshotManager.Command> snapshots, ActorRef<Sink.Command> sink,
                       ActorRef<PerfManager.Command> perf, Scheduler scheduler) {}

  /**
   * @param resultTimeout  how long to wait for an invocation's result (longer than any queueing, boot and run)
   * @param retryAfter     what a throttled caller is told to wait (faascell.dispatcher.retry-after)
   * @param vmmDescription the VMM driver, as the status shows it
   * @param imageId        the guest image, as the status shows it
   */
  public record Settings(Duration resultTimeout, Duration retryAfter, String vmmDescription, String imageId) {}

  /** The node's state at one moment, as GET /v1/status shows it. */
  public record Status(PoolStatus pool, Dispatcher.QueueStatus queue, Map<String, PerfManager.VmSample> hostSamples,
                       List<SnapshotRecord> snapshots, String vmmDescription, String imageId) {}

  /** The node's capacity and load, as its cluster heartbeat carries it. */
  public record Load(PoolStatus pool, Dispatcher.QueueStatus queue) {}

  private final FunctionRegistry registry;
  private final Actors actors;
  private final PrometheusMeterRegistry metrics;
  private final Settings settings;
  private final ExecutorService store;

  public NodeApi(FunctionRegistry registry, Actors actors, PrometheusMeterRegistry metrics, Settings settings) {
    this.registry = registry;
    this.actors = actors;
    this.metrics = metrics;
    this.settings = settings;
    this.store = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "faascell-store");
      thread.setDaemon(true);
      return thread;
    });
  }

  // ---- functions -----------------------------------------------------------------------------

  public FunctionLimits limits() {
    return registry.limits();
  }

  /** The deployed functions, by name. */
  public List<DeployedFunction> functions() {
    return registry.list();
  }

  public Optional<DeployedFunction> function(FunctionName name) {
    return registry.get(name);
  }

  /**
   * Stores the function (a changed spec replaces the old one and retires its VMs). Fails with
   * {@link InvalidInputException} for a spec the node refuses, {@link StoreException} if the store fails.
   */
  public CompletionStage<FunctionRegistry.DeployOutcome> deploy(FunctionSpec spec) {
    return onStoreThread(() -> registry.deploy(spec));
  }

  /** Removes the function; false if it was not deployed. Fails with {@link StoreException} if the store fails. */
  public CompletionStage<Boolean> delete(FunctionName name) {
    return onStoreThread(() -> registry.remove(name));
  }

  // ---- invocations ---------------------------------------------------------------------------

  /** Submits an invocation received at {@code receivedNanos}; a payload that must be JSON and is not is refused. */
  public CompletionStage<InvocationResult> invoke(FunctionSpec function, byte[] payload, long receivedNanos) {
    return invoke(UUID.randomUUID().toString(), function, payload, receivedNanos);
  }

  /** {@link #invoke(FunctionSpec, byte[], long)} with the caller's invocation id (answered before the result). */
  public CompletionStage<InvocationResult> invoke(String invocationId, FunctionSpec function, byte[] payload,
                                                  long receivedNanos) {
    checkPayload(function, payload);
    return submit(Invocation.received(invocationId, function, payload, receivedNanos));
  }

  /** Hands an invocation a Source already made to the Dispatcher; its one result comes back. */
  public CompletionStage<InvocationResult> submit(Invocation invocation) {
    return AskPattern.ask(actors.dispatcher(), replyTo -> new Dispatcher.Submit(new Job(invocation, replyTo)),
        settings.resultTimeout(), actors.scheduler());
  }

  /**
   * Stops admitting for every Source (new invocations end with 503 {@code shutting-down}) and waits, at
   * most {@code grace}, for the invocations already admitted to end.
   *
   * @return whether they all ended within the grace
   */
  public boolean drain(Duration grace) {
    try {
      AskPattern.<Dispatcher.Command, Dispatcher.Drained>ask(actors.dispatcher(), Dispatcher.Drain::new, grace,
          actors.scheduler()).toCompletableFuture().get();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException timedOut) {
      return false;
    }
  }

  public Duration resultTimeout() {
    return settings.resultTimeout();
  }

  /** The Retry-After header's value: whole seconds, at least one. */
  public long retryAfterSeconds() {
    return Math.max(1, (settings.retryAfter().toMillis() + 999) / 1000);
  }

  /** A python or nodejs function takes JSON: any other payload is refused before it is queued. */
  public static void checkPayload(FunctionSpec function, byte[] payload) {
    if (function.runtime().takesJson()) {
      requireJson(payload);
    }
  }

  private static void requireJson(byte[] payload) {
    if (payload.length == 0) {
      return;
    }
    try (var parser = JSON.createParser(payload)) {
      while (parser.nextToken() != null) {
        // reading every token validates the document without building it
      }
    } catch (IOException e) {
      throw new InvalidInputException("the payload of a python or nodejs function must be JSON: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** The latest trace records, newest last: of one function or all, since an epoch-millisecond instant, at most {@code max}. */
  public CompletionStage<List<InvocationResult>> invocations(Optional<FunctionName> function, long sinceMillis, int max) {
    return AskPattern.ask(actors.sink(), replyTo -> new Sink.Query(function, sinceMillis, max, replyTo), ASK_TIMEOUT,
        actors.scheduler());
  }

  // ---- snapshots -----------------------------------------------------------------------------

  public CompletionStage<List<SnapshotRecord>> snapshots() {
    return AskPattern.ask(actors.snapshots(), SnapshotManager.ListSnapshots::new, ASK_TIMEOUT, actors.scheduler());
  }

  /** Deletes a snapshot; false if there is none of that id. */
  public CompletionStage<Boolean> deleteSnapshot(String id) {
    return AskPattern.ask(actors.snapshots(), replyTo -> new SnapshotManager.Delete(id, replyTo), ASK_TIMEOUT,
        actors.scheduler());
  }

  /** Boots a fresh VM of the function, snapshots it after its code loaded, and answers when it is stored. */
  public CompletionStage<SnapshotOutcome> takeSnapshot(FunctionSpec function, SnapshotFormat format) {
    return AskPattern.ask(actors.pool(), replyTo -> new VmPool.TakeSnapshot(function, format, replyTo),
        SNAPSHOT_TIMEOUT, actors.scheduler());
  }

  // ---- status and metrics --------------------------------------------------------------------

  /** The VMs and memory, the queue, the host's measurements of the VMs, and the snapshots, asked for at once. */
  public CompletionStage<Status> status() {
    CompletionStage<PoolStatus> pool = AskPattern.ask(actors.pool(), VmPool.GetStatus::new, ASK_TIMEOUT,
        actors.scheduler());
    CompletionStage<Dispatcher.QueueStatus> queue = AskPattern.ask(actors.dispatcher(), Dispatcher.GetQueueStatus::new,
        ASK_TIMEOUT, actors.scheduler());
    CompletionStage<Map<String, PerfManager.VmSample>> perf = AskPattern.ask(actors.perf(), PerfManager.GetSamples::new,
        ASK_TIMEOUT, actors.scheduler());
    CompletionStage<List<SnapshotRecord>> snapshots = snapshots();
    return pool.thenCompose(p -> queue.thenCompose(q -> perf.thenCombine(snapshots, (samples, records) ->
        new Status(p, q, samples, records, settings.vmmDescription(), settings.imageId()))));
  }

  public CompletionStage<Load> load() {
    CompletionStage<PoolStatus> pool = AskPattern.ask(actors.pool(), VmPool.GetStatus::new, LOAD_TIMEOUT,
        actors.scheduler());
    CompletionStage<Dispatcher.QueueStatus> queue = AskPattern.ask(actors.dispatcher(), Dispatcher.GetQueueStatus::new,
        LOAD_TIMEOUT, actors.scheduler());
    return pool.thenCombine(queue, Load::new);
  }

  /** The node's metrics in Prometheus's text format. */
  public String metrics() {
    return metrics.scrape();
  }

  // ---- the store thread ----------------------------------------------------------------------

  @FunctionalInterface
  private interface StoreCall<T> {
    T run() throws StoreException;
  }

  /**
   * What a Source throws for a failed {@link #deploy} or {@link #delete}: a refusal of the caller's
   * input as it is, a failing store as the Source's own error for it (the node's fault, never the caller's).
   */
  public static RuntimeException storeFailure(Throwable failure, Function<StoreException, RuntimeException> storeError) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof StoreException e) {
      return storeError.apply(e);
    }
    return cause instanceof RuntimeException e ? e : new IllegalStateException(cause);
  }

  /** Runs a store call on the store thread; the stage fails with exactly what the call threw. */
  private <T> CompletionStage<T> onStoreThread(StoreCall<T> call) {
    CompletableFuture<T> done = new CompletableFuture<>();
    store.execute(() -> {
      try {
        done.complete(call.run());
      } catch (StoreException | RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /** Lets the store calls already asked for finish (the store closes after this). */
  @Override
  public void close() {
    store.shutdown();
    try {
      if (!store.awaitTermination(10, TimeUnit.SECONDS)) {
        store.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      store.shutdownNow();
    }
  }
}
