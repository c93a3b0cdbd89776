package dev.faascell.dispatcher;

import dev.faascell.config.FaascellConfig.DispatcherSettings;
import dev.faascell.invocation.Job;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionName;
import dev.faascell.model.InvocationResult;
import dev.faascell.policy.admission.QueuePolicy;
import dev.faascell.sink.Sink;
import dev.faascell.vmpool.VmPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
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
 * Admission and the queue. Every invocation is admitted into a bounded queue (full: 429) and waits
 * there until the VmPool takes it, at most the queue timeout (then 503). The Dispatcher decides the
 * order — the queue policy's, skipping functions at their concurrency limit — and asks; the pool alone
 * decides what it can take: the Dispatcher offers the waiting invocations whenever the queue or the
 * pool changed, one offer at a time, and removes what the pool's {@link VmPool.Answer} took. A node
 * that is stopping sends {@link Drain}: from then on every new invocation ends with 503
 * {@code shutting-down}, while those already admitted run to their end.
 */
public final class Dispatcher extends AbstractBehavior<Dispatcher.Command> {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** The Dispatcher's protocol. */
  public sealed interface Command {}

  /** A new invocation from a Source. */
  public record Submit(Job job) implements Command {}

  /** A function was deleted: its queued invocations end with 410. */
  public record FunctionRemoved(FunctionName function) implements Command {}

  public record GetQueueStatus(ActorRef<QueueStatus> replyTo) implements Command {}

  /**
   * The node is stopping: admit nothing more, and answer {@code replyTo} once every invocation admitted
   * before (queued or running) has ended. The node decides how long it waits for the answer.
   */
  public record Drain(ActorRef<Drained> replyTo) implements Command {}

  /** Nothing admitted is queued or running any more. */
  public record Drained() {}

  /** How full the queue is. */
  public record QueueStatus(int length, int capacity) {}

  private record FromPool(VmPool.Event event) implements Command {}

  private record FromSink(Sink.Finished finished) implements Command {}

  private record ExpireTick() implements Command {}

  private final DispatcherSettings settings;
  private final DispatchQueue queue;
  private final MeterRegistry metrics;
  private final ActorRef<VmPool.Command> pool;
  private final ActorRef<Sink.Command> sink;
  private final LongSupplier nanoClock;
  /** Something changed while an offer was out: offer again once it is answered. */
  private boolean offerAgain;
  /** What the gauges read from the scrape thread: the queue as of the last change, never the queue itself. */
  private final AtomicReference<QueueStatus> published;
  /** The node is stopping: nothing new is admitted. */
  private boolean draining;
  /** Who waits for the last admitted invocation to end; null before {@link Drain} and once answered. */
  private ActorRef<Drained> drainWaiter;

  public static Behavior<Command> create(DispatcherSettings settings, QueuePolicy order, ActorRef<VmPool.Command> pool,
                                         ActorRef<Sink.Command> sink, MeterRegistry metrics, LongSupplier nanoClock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new ExpireTick(), tickInterval(settings.queueTimeout()));
      pool.tell(new VmPool.Attach(ctx.messageAdapter(VmPool.Event.class, FromPool::new)));
      sink.tell(new Sink.Subscribe(ctx.messageAdapter(Sink.Finished.class, FromSink::new)));
      return new Dispatcher(ctx, settings, order, pool, sink, metrics, nanoClock);
    }));
  }

  private static Duration tickInterval(Duration queueTimeout) {
    long millis = Math.max(10, Math.min(250, queueTimeout.toMillis() / 10));
    return Duration.ofMillis(millis);
  }

  private Dispatcher(ActorContext<Command> ctx, DispatcherSettings settings, QueuePolicy order,
                     ActorRef<VmPool.Command> pool, ActorRef<Sink.Command> sink, MeterRegistry metrics,
                     LongSupplier nanoClock) {
    super(ctx);
    this.settings = settings;
    this.queue = new DispatchQueue(settings, order);
    this.metrics = metrics;
    this.pool = pool;
    this.sink = sink;
    this.nanoClock = nanoClock;
    this.published = new AtomicReference<>(new QueueStatus(0, settings.queueCapacity()));
    Gauge.builder("faascell.queue.length", published, p -> p.get().length())
        .description("invocations waiting in the queue").register(metrics);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(FromPool.class, msg -> onPoolEvent(msg.event()))
        .onMessage(FromSink.class, msg -> onFinished(msg.finished()))
        .onMessage(FunctionRemoved.class, this::onFunctionRemoved)
        .onMessage(GetQueueStatus.class, msg -> {
          msg.replyTo().tell(queueStatus());
          return this;
        })
        .onMessage(ExpireTick.class, msg -> onExpireTick())
        .onMessage(Drain.class, this::onDrain)
        .build();
  }

  private Behavior<Command> onDrain(Drain msg) {
    log.info("event=draining queued={} running={}", queue.size(), queue.running());
    draining = true;
    drainWaiter = msg.replyTo();
    answerIfDrained();
    return this;
  }

  /** Called whenever an invocation leaves the queue or ends. */
  private void answerIfDrained() {
    if (drainWaiter != null && queue.size() == 0 && queue.running() == 0) {
      drainWaiter.tell(new Drained());
      drainWaiter = null;
    }
  }

  private Behavior<Command> onSubmit(Submit msg) {
    long now = nanoClock.getAsLong();
    Job job = msg.job().enqueued(now);
    if (draining) {
      return reject(job, FailureKind.SHUTTING_DOWN, "the node is shutting down; retry on another node or later", now);
    }
    if (queue.full()) {
      return reject(job, FailureKind.QUEUE_FULL, "the queue is full (" + settings.queueCapacity()
          + " invocations waiting); retry later", now);
    }
    queue.add(job, now);
    sink.tell(new Sink.Started(job.invocation().id(), job.invocation().functionName(),
        job.invocation().receivedEpochMillis()));
    offer();
    return this;
  }

  /** Ends a job without a VM; refusals are logged with their reason and counted. */
  private Behavior<Command> reject(Job job, FailureKind kind, String message, long now) {
    if (kind == FailureKind.QUEUE_FULL || kind == FailureKind.QUEUE_TIMEOUT || kind == FailureKind.NO_CAPACITY
        || kind == FailureKind.SHUTTING_DOWN) {
      Counter.builder("faascell.refusals").description("invocations refused by admission")
          .tag("reason", kind.code()).tag("policy", queue.order().name()).register(metrics).increment();
      log.info("event=refusal invocation={} function={} reason={} policy={} detail=\"{}\"", job.invocation().id(),
          job.invocation().functionName(), kind.code(), queue.order().name(), message);
    }
    sink.tell(new Sink.Deliver(job, InvocationResult.Failed.early(job.invocation(), kind, message, now)));
    publish();
    answerIfDrained();
    return this;
  }

  /**
   * Offers the pool every waiting invocation, in the queue policy's order, except those of functions at
   * their concurrency limit. One offer is out at a time; changes meanwhile lead to one more.
   */
  private void offer() {
    publish();
    if (queue.offerOut()) {
      offerAgain = true;
      return;
    }
    offerAgain = false;
    List<Job> jobs = queue.nextOffer(nanoClock.getAsLong());
    if (!jobs.isEmpty()) {
      pool.tell(new VmPool.Offer(jobs));
    }
  }

  private Behavior<Command> onPoolEvent(VmPool.Event event) {
    if (event instanceof VmPool.Answer answer && queue.offerOut()) {
      long now = nanoClock.getAsLong();
      for (DispatchQueue.Refusal refusal : queue.answered(answer)) {
        reject(refusal.job(), refusal.kind(), refusal.reason(), now);
      }
      if (offerAgain) {
        offer();
      }
      publish();
      answerIfDrained();
    } else if (event instanceof VmPool.Changed) {
      offer();
    }
    return this;
  }

  /** An invocation ended: its function's concurrency is freed, and a warm run teaches the queue policy. */
  private Behavior<Command> onFinished(Sink.Finished finished) {
    if (queue.finished(finished.invocationId(), finished.function(), finished.startKind(), finished.runNanos())) {
      offer();
    }
    answerIfDrained();
    return this;
  }

  private Behavior<Command> onFunctionRemoved(FunctionRemoved msg) {
    long now = nanoClock.getAsLong();
    for (Job job : queue.removeFunction(msg.function())) {
      reject(job, FailureKind.FUNCTION_GONE, "function " + msg.function() + " was deleted", now);
    }
    return this;
  }

  private Behavior<Command> onExpireTick() {
    long now = nanoClock.getAsLong();
    for (Job job : queue.expired(now)) {
      reject(job, FailureKind.QUEUE_TIMEOUT, "no VM became available within the queue timeout of "
          + settings.queueTimeout().toMillis() + " ms", now);
    }
    return this;
  }

  private void publish() {
    published.set(queueStatus());
  }

  private QueueStatus queueStatus() {
    return new QueueStatus(queue.size(), queue.capacity());
  }
}
