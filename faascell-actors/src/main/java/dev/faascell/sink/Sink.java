package dev.faascell.sink;

import dev.faascell.dispatcher.Dispatcher;
import dev.faascell.dispatcher.Job;
import dev.faascell.model.StartKind;
import org.apache.pekko.actor.typed.ActorRef;
import dev.faascell.model.InvocationResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every invocation ends, exactly once: completes its timing, counts it, logs it and answers
 * whoever asked (the HTTP Source, a trace replay).
 */
public final class Sink extends AbstractBehavior<Sink.Command> {
  private static final Logger log = LoggerFactory.getLogger(Sink.class);

  /** The Sink's protocol. */
  public sealed interface Command {}

  /** The end of {@code job}; {@code result}'s total time is filled in here. */
  public record Deliver(Job job, InvocationResult result) implements Command {}

  /** The Dispatcher, which learns each function's warm run time from the results. */
  public record Attach(ActorRef<Dispatcher.Command> dispatcher) implements Command {}

  private final MeterRegistry metrics;
  private final LongSupplier nanoClock;
  private ActorRef<Dispatcher.Command> dispatcher;

  public static Behavior<Command> create(MeterRegistry metrics, LongSupplier nanoClock) {
    return Behaviors.setup(ctx -> new Sink(ctx, metrics, nanoClock));
  }

  private Sink(ActorContext<Command> ctx, MeterRegistry metrics, LongSupplier nanoClock) {
    super(ctx);
    this.metrics = metrics;
    this.nanoClock = nanoClock;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(Attach.class, msg -> {
          dispatcher = msg.dispatcher();
          return this;
        })
        .build();
  }

  private Behavior<Command> onDeliver(Deliver deliver) {
    long total = nanoClock.getAsLong() - deliver.job().invocation().receivedNanos();
    InvocationResult result = deliver.result().withTotalNanos(total);
    deliver.job().replyTo().tell(result);
    record(result);
    if (dispatcher != null && result instanceof InvocationResult.Completed done && done.startKind() == StartKind.WARM) {
      dispatcher.tell(new Dispatcher.Observed(done.function(), done.timing().runNanos()));
    }
    return this;
  }

  private void record(InvocationResult result) {
    String function = result.function().value();
    if (result instanceof InvocationResult.Completed done) {
      count(function, done.startKind().wireName(), "ok");
      Timer.builder("faascell.invocation.duration").description("invocation latency from receipt to result")
          .tag("function", function).tag("start_kind", done.startKind().wireName())
          .register(metrics).record(result.timing().totalNanos(), TimeUnit.NANOSECONDS);
      log.debug("event=invocation-done invocation={} function={} start={} vm={} total_ms={}", done.invocationId(),
          function, done.startKind().wireName(), done.vmId(), result.timing().totalNanos() / 1e6);
    } else if (result instanceof InvocationResult.Failed failed) {
      count(function, failed.startKind() == null ? "none" : failed.startKind().wireName(), failed.kind().code());
      log.info("event=invocation-failed invocation={} function={} kind={} vm={} message=\"{}\"", failed.invocationId(),
          function, failed.kind().code(), failed.vmId(), lastLine(failed.message()));
    }
  }

  private void count(String function, String startKind, String outcome) {
    Counter.builder("faascell.invocations").description("finished invocations")
        .tag("function", function).tag("start_kind", startKind).tag("outcome", outcome)
        .register(metrics).increment();
  }

  /** The line of a message that says what happened (for a traceback, its last). */
  private static String lastLine(String message) {
    String line = message == null ? "" : message.strip().lines().reduce((a, b) -> b).orElse("");
    return line.replace('"', '\'');
  }
}
