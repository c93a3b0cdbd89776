package dev.faascell.dispatcher;

import dev.faascell.config.FaascellConfig.DispatcherSettings;
import dev.faascell.config.NodeCapacity;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionName;
import dev.faascell.model.InvocationResult;
import dev.faascell.sink.Sink;
import dev.faascell.vmpool.PoolView;
import dev.faascell.vmpool.VmPool;
import dev.faascell.policy.admission.QueuePolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission and the queue. Every invocation is admitted into a bounded queue (full: 429) and handed
 * to the VmPool as soon as the pool's latest {@link PoolView} says it can take it, in the queue
 * policy's order and within the per-function concurrency limit; it waits at most the queue timeout
 * (then 503). The decision itself is {@link Planner}'s.
 */
public final class Dispatcher extends AbstractBehavior<Dispatcher.Command> {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** The Dispatcher's protocol. */
  public sealed interface Command {}

  /** A new invocation from a Source. */
  public record Submit(Job job) implements Command {}

  /** The pool's capacity changed. */
  public record PoolChanged(PoolView view) implements Command {}

  /** The pool could not honour assignment {@code seq}; the job goes back to its place in the queue. */
  public record Returned(Job job, long seq) implements Command {}

  /** A function was deleted: its queued invocations end with 410. */
  public record FunctionRemoved(FunctionName function) implements Command {}

  public record GetQueueStatus(ActorRef<QueueStatus> replyTo) implements Command {}

  /** A warm run of {@code function} took {@code runNanos} (from the Sink: the queue policy's history). */
  public record Observed(FunctionName function, long runNanos) implements Command {}

  /** How full the queue is. */
  public record QueueStatus(int length, int capacity) {}

  private record ExpireTick() implements Command {}

  /** Weight of the newest observation in each function's moving average of run time. */
  private static final double EWMA_WEIGHT = 0.2;

  private final DispatcherSettings settings;
  private final NodeCapacity node;
  private final Planner.Rules rules;
  private final MeterRegistry metrics;
  private final Map<FunctionName, Double> expectedRunMs = new HashMap<>();
  private final ActorRef<VmPool.Command> pool;
  private final ActorRef<Sink.Command> sink;
  private final LongSupplier nanoClock;

  private final TreeMap<Long, Pending> queue = new TreeMap<>();
  /** Assignments sent but not yet reflected in a PoolView, by sequence number. */
  private final Map<Long, Planner.Decision> inFlight = new LinkedHashMap<>();
  private Planner.Capacity capacity;
  private long nextArrival;
  private long nextSeq;

  public static Behavior<Command> create(DispatcherSettings settings, NodeCapacity node, ActorRef<VmPool.Command> pool,
                                         ActorRef<Sink.Command> sink, MeterRegistry metrics, LongSupplier nanoClock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new ExpireTick(), tickInterval(settings.queueTimeout()));
      Dispatcher dispatcher = new Dispatcher(ctx, settings, node, pool, sink, metrics, nanoClock);
      pool.tell(new VmPool.Attach(ctx.getSelf()));
      sink.tell(new Sink.Attach(ctx.getSelf()));
      return dispatcher;
    }));
  }

  private static Duration tickInterval(Duration queueTimeout) {
    long millis = Math.max(10, Math.min(250, queueTimeout.toMillis() / 10));
    return Duration.ofMillis(millis);
  }

  private Dispatcher(ActorContext<Command> ctx, DispatcherSettings settings, NodeCapacity node,
                     ActorRef<VmPool.Command> pool, ActorRef<Sink.Command> sink, MeterRegistry metrics,
                     LongSupplier nanoClock) {
    super(ctx);
    this.settings = settings;
    this.node = node;
    this.rules = new Planner.Rules(node, QueuePolicy.named(settings.policy()), settings.maxConcurrencyPerFunction());
    this.metrics = metrics;
    Gauge.builder("faascell.queue.length", queue, TreeMap::size).description("invocations waiting in the queue")
        .register(metrics);
    this.pool = pool;
    this.sink = sink;
    this.nanoClock = nanoClock;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(PoolChanged.class, this::onPoolChanged)
        .onMessage(Returned.class, this::onReturned)
        .onMessage(FunctionRemoved.class, this::onFunctionRemoved)
        .onMessage(GetQueueStatus.class, msg -> {
          msg.replyTo().tell(new QueueStatus(queue.size(), settings.queueCapacity()));
          return this;
        })
        .onMessage(ExpireTick.class, msg -> onExpireTick())
        .onMessage(Observed.class, msg -> {
          expectedRunMs.merge(msg.function(), msg.runNanos() / 1e6,
              (old, now) -> old * (1 - EWMA_WEIGHT) + now * EWMA_WEIGHT);
          return this;
        })
        .build();
  }

  private Behavior<Command> onSubmit(Submit msg) {
    long now = nanoClock.getAsLong();
    Job job = msg.job().enqueued(now);
    int reservation = node.reservationMb(job.invocation().function().memoryMb());
    if (reservation > node.memoryMb()) {
      return reject(job, FailureKind.NO_CAPACITY, "the function needs " + reservation
          + " MiB with VM overhead; the node has " + node.memoryMb() + " MiB", now);
    }
    if (queue.size() >= settings.queueCapacity()) {
      return reject(job, FailureKind.QUEUE_FULL, "the queue is full (" + settings.queueCapacity()
          + " invocations waiting); retry later", now);
    }
    long arrival = nextArrival++;
    queue.put(arrival, new Pending(job, arrival, now));
    sink.tell(new Sink.Started(job.invocation().id(), job.invocation().functionName(),
        job.invocation().receivedEpochMillis()));
    dispatch();
    return this;
  }

  /** Ends a job without a VM; refusals are logged with their reason and counted. */
  private Behavior<Command> reject(Job job, FailureKind kind, String message, long now) {
    if (kind == FailureKind.QUEUE_FULL || kind == FailureKind.QUEUE_TIMEOUT || kind == FailureKind.NO_CAPACITY) {
      Counter.builder("faascell.refusals").description("invocations refused by admission")
          .tag("reason", kind.code()).tag("policy", rules.order().name()).register(metrics).increment();
      log.info("event=refusal invocation={} function={} reason={} policy={} detail=\"{}\"", job.invocation().id(),
          job.invocation().functionName(), kind.code(), rules.order().name(), message);
    }
    sink.tell(new Sink.Deliver(job, InvocationResult.Failed.early(job.invocation(), kind, message, now)));
    return this;
  }

  private Behavior<Command> onPoolChanged(PoolChanged msg) {
    PoolView view = msg.view();
    inFlight.keySet().removeIf(seq -> seq <= view.assignsSeen());
    capacity = new Planner.Capacity(view);
    inFlight.values().forEach(decision -> capacity.claim(decision.claim()));
    dispatch();
    return this;
  }

  private Behavior<Command> onReturned(Returned msg) {
    Planner.Decision decision = inFlight.remove(msg.seq());
    if (decision != null) {
      // back to its place in arrival order; planned again when the pool's next view arrives
      Pending pending = decision.pending();
      queue.put(pending.arrival(), new Pending(msg.job(), pending.arrival(), pending.enqueuedNanos()));
    } else {
      sink.tell(new Sink.Deliver(msg.job(), InvocationResult.Failed.early(msg.job().invocation(), FailureKind.INTERNAL,
          "the pool returned an assignment the dispatcher does not know", nanoClock.getAsLong())));
    }
    return this;
  }

  private void dispatch() {
    if (capacity == null || queue.isEmpty()) {
      return;
    }
    for (Planner.Decision decision : Planner.plan(queue, capacity, rules, expectedRunMs)) {
      Pending pending = decision.pending();
      queue.remove(pending.arrival());
      long seq = ++nextSeq;
      inFlight.put(seq, decision);
      pool.tell(new VmPool.Assign(pending.job().dequeued(nanoClock.getAsLong()), seq));
    }
  }

  private Behavior<Command> onFunctionRemoved(FunctionRemoved msg) {
    long now = nanoClock.getAsLong();
    for (Iterator<Pending> it = queue.values().iterator(); it.hasNext(); ) {
      Pending pending = it.next();
      if (pending.job().invocation().functionName().equals(msg.function())) {
        it.remove();
        reject(pending.job(), FailureKind.FUNCTION_GONE, "function " + msg.function() + " was deleted", now);
      }
    }
    return this;
  }

  private Behavior<Command> onExpireTick() {
    long now = nanoClock.getAsLong();
    long limit = settings.queueTimeout().toNanos();
    for (Iterator<Pending> it = queue.values().iterator(); it.hasNext(); ) {
      Pending pending = it.next();
      if (now - pending.job().invocation().receivedNanos() >= limit) {
        it.remove();
        reject(pending.job(), FailureKind.QUEUE_TIMEOUT, "no VM became available within the queue timeout of "
            + settings.queueTimeout().toMillis() + " ms", now);
      }
    }
    return this;
  }
}
