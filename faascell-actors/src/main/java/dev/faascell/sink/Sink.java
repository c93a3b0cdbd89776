package dev.faascell.sink;

import dev.faascell.blockingio.BlockingIo;
import dev.faascell.invocation.Job;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionName;
import dev.faascell.model.HostUsage;
import dev.faascell.model.Timing;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.InvocationTrace;
import dev.faascell.model.StartKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every invocation ends, exactly once: completes its timing and trace, answers whoever asked
 * (the HTTP Source, a trace replay), and records it — Prometheus metrics, the JSONL trace file, and
 * an in-memory ring of the latest trace records for GET /v1/invocations. Its file writes run off its
 * thread, in order ({@link SinkFiles}).
 */
public final class Sink extends AbstractBehavior<Sink.Command> {
  private static final Logger log = LoggerFactory.getLogger(Sink.class);
  /** Latency histogram bounds: a warm run under KVM to a boot under TCG. */
  private static final Duration MIN_EXPECTED = Duration.ofMillis(1);
  private static final Duration MAX_EXPECTED = Duration.ofSeconds(60);

  /** The Sink's protocol. */
  public sealed interface Command {}

  /** The end of {@code job}; {@code result}'s total time is filled in here. */
  public record Deliver(Job job, InvocationResult result) implements Command {}

  /** {@code subscriber} hears of every invocation that ends (the Dispatcher: concurrency, run times). */
  public record Subscribe(ActorRef<Finished> subscriber) implements Command {}

  /**
   * An invocation ended: what a subscriber learns of it.
   *
   * @param startKind how its VM came to run it (null: it never reached a VM)
   * @param runNanos  RUN sent → result back on the host (0: it did not run)
   */
  public record Finished(String invocationId, FunctionName function, StartKind startKind, long runNanos) {}

  /** The latest trace records, newest last: of {@code function} if present, received at or after {@code since}. */
  public record Query(Optional<FunctionName> function, long sinceEpochMillis, int limit,
                      ActorRef<List<InvocationResult>> replyTo) implements Command {}

  private record FlushTraces() implements Command {}

  /** An invocation was admitted (from the Dispatcher): it is in flight until its Deliver. */
  public record Started(String invocationId, FunctionName function, long receivedEpochMillis) implements Command {}

  /** Where trace records go (faascell.trace). */
  public record TraceSettings(boolean enabled, Path file, long maxFileBytes, int keepFiles, int ringSize) {}

  private final MeterRegistry metrics;
  private final LongSupplier nanoClock;
  private final TraceSettings settings;
  private final SinkFiles files;
  private final Deque<InvocationResult> ring = new ArrayDeque<>();
  private final List<ActorRef<Finished>> subscribers = new ArrayList<>();

  /**
   * @param journal what was in flight when an earlier run ended, and the journal for this one; the
   *                lost invocations are recorded as failed at once
   */
  public static Behavior<Command> create(MeterRegistry metrics, LongSupplier nanoClock, TraceSettings settings,
                                         InflightJournal.Recovered journal) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new FlushTraces(), Duration.ofSeconds(1));
      return new Sink(ctx, metrics, nanoClock, settings, journal);
    }));
  }

  private Sink(ActorContext<Command> ctx, MeterRegistry metrics, LongSupplier nanoClock, TraceSettings settings,
               InflightJournal.Recovered recovered) throws IOException {
    super(ctx);
    this.metrics = metrics;
    this.nanoClock = nanoClock;
    this.settings = settings;
    // the one blocking step on the Sink's thread: opening the trace file, once, at start
    TraceLog traceLog = settings.enabled() && settings.file() != null
        ? new TraceLog(settings.file(), settings.maxFileBytes(), settings.keepFiles()) : null;
    this.files = new SinkFiles(BlockingIo.lane(ctx), recovered.journal(), traceLog);
    for (InflightJournal.Open lost : recovered.lost()) {
      log.warn("event=invocation-lost-in-restart invocation={} function={} received={}", lost.invocationId(),
          lost.function(), java.time.Instant.ofEpochMilli(lost.receivedEpochMillis()));
      keep(lostRecord(lost));
    }
  }

  /** The failure record of an invocation the node stopped in the middle of. */
  private static InvocationResult lostRecord(InflightJournal.Open lost) {
    InvocationTrace trace = new InvocationTrace(lost.receivedEpochMillis(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        null, null, 0, 0, HostUsage.NONE);
    return new InvocationResult.Failed(lost.invocationId(), FunctionName.of(lost.function()), FailureKind.LOST_IN_RESTART,
        "the node stopped while this invocation was in flight; it was not run again", "", null, null, Timing.NONE, trace);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(Subscribe.class, msg -> {
          subscribers.add(msg.subscriber());
          return this;
        })
        .onMessage(Query.class, this::onQuery)
        .onMessage(Started.class, msg -> {
          files.started(msg.invocationId(), msg.function().value(), msg.receivedEpochMillis());
          return this;
        })
        .onMessage(FlushTraces.class, msg -> {
          files.flush();
          return this;
        })
        .onSignal(PostStop.class, signal -> {
          files.close();
          return this;
        })
        .build();
  }

  private Behavior<Command> onDeliver(Deliver deliver) {
    InvocationResult result = deliver.result().delivered(nanoClock.getAsLong());
    deliver.job().replyTo().tell(result);
    files.ended(result.invocationId());
    record(result);
    keep(result);
    if (!subscribers.isEmpty()) {
      StartKind kind = result instanceof InvocationResult.Completed done ? done.startKind()
          : ((InvocationResult.Failed) result).startKind();
      Finished finished = new Finished(result.invocationId(), result.function(), kind, result.timing().runNanos());
      subscribers.forEach(subscriber -> subscriber.tell(finished));
    }
    return this;
  }

  /** Into the ring for GET /v1/invocations and the trace file. */
  private void keep(InvocationResult result) {
    if (!settings.enabled()) {
      return;
    }
    ring.addLast(result);
    if (ring.size() > settings.ringSize()) {
      ring.removeFirst();
    }
    files.trace(result);
  }

  private Behavior<Command> onQuery(Query query) {
    List<InvocationResult> matches = new ArrayList<>();
    for (Iterator<InvocationResult> it = ring.descendingIterator(); it.hasNext() && matches.size() < query.limit(); ) {
      InvocationResult result = it.next();
      if (result.trace().receivedEpochMillis() < query.sinceEpochMillis()) {
        break;
      }
      if (query.function().map(result.function()::equals).orElse(true)) {
        matches.add(0, result);
      }
    }
    query.replyTo().tell(matches);
    return this;
  }

  private void record(InvocationResult result) {
    String function = result.function().value();
    String startKind = startKindOf(result);
    String outcome = result instanceof InvocationResult.Failed failed ? failed.kind().code() : "ok";
    Counter.builder("faascell.invocations").description("finished invocations")
        .tag("function", function).tag("start_kind", startKind).tag("outcome", outcome)
        .register(metrics).increment();
    Timer.builder("faascell.invocation.duration").description("invocation latency from receipt to result")
        .tag("function", function).tag("start_kind", startKind)
        .publishPercentileHistogram().minimumExpectedValue(MIN_EXPECTED).maximumExpectedValue(MAX_EXPECTED)
        .register(metrics).record(result.timing().totalNanos(), TimeUnit.NANOSECONDS);
    InvocationTrace t = result.trace();
    long[] stamps = t.stamps();
    stage("queue", stamps[1] - stamps[0], startKind);
    stage("slot-wait", stamps[3] - stamps[2], startKind);
    stage("boot", t.bootNanos(), startKind);
    stage("restore", t.restoreNanos(), startKind);
    stage("init", t.initNanos(), startKind);
    stage("snapshot", t.snapshotNanos(), startKind);
    stage("run", t.resultReceived() > 0 ? t.resultReceived() - t.runSent() : 0, startKind);
    stage("exec", t.guestExecNanos(), startKind);
    if (result instanceof InvocationResult.Failed failed) {
      log.info("event=invocation-failed invocation={} function={} kind={} vm={} message=\"{}\"", failed.invocationId(),
          function, failed.kind().code(), failed.vmId(), lastLine(failed.message()));
    } else {
      log.debug("event=invocation-done invocation={} function={} start={} total_ms={}", result.invocationId(), function,
          startKind, result.timing().totalNanos() / 1e6);
    }
  }

  /** A stage's duration histogram; stages that did not happen are not recorded. */
  private void stage(String stage, long nanos, String startKind) {
    if (nanos <= 0) {
      return;
    }
    Timer.builder("faascell.stage.duration").description("time spent in one stage of an invocation")
        .tag("stage", stage).tag("start_kind", startKind)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(MAX_EXPECTED)
        .register(metrics).record(nanos, TimeUnit.NANOSECONDS);
  }

  private static String startKindOf(InvocationResult result) {
    if (result instanceof InvocationResult.Completed done) {
      return done.startKind().wireName();
    }
    StartKind kind = ((InvocationResult.Failed) result).startKind();
    return kind == null ? "none" : kind.wireName();
  }

  /** The line of a message that says what happened (for a traceback, its last). */
  private static String lastLine(String message) {
    String line = message == null ? "" : message.strip().lines().reduce((a, b) -> b).orElse("");
    return line.replace('"', '\'');
  }
}
