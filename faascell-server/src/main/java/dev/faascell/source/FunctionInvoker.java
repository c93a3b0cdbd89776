package dev.faascell.source;

import com.fasterxml.jackson.core.JsonFactory;
import dev.faascell.dispatcher.Dispatcher;
import dev.faascell.invocation.Job;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvalidInputException;
import dev.faascell.model.Invocation;
import dev.faascell.model.InvocationResult;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The one invoke path of every front door (FaaSCell's API, the Lambda API): checks the payload, makes
 * the invocation a job for the Dispatcher, and answers with its result.
 */
public final class FunctionInvoker {
  private static final JsonFactory JSON = new JsonFactory();

  private final ActorRef<Dispatcher.Command> dispatcher;
  private final Scheduler scheduler;
  private final Duration resultTimeout;
  private final Duration retryAfter;

  /**
   * @param resultTimeout how long to wait for a result (longer than any queueing, boot and run)
   * @param retryAfter    what a throttled caller is told to wait (faascell.dispatcher.retry-after)
   */
  public FunctionInvoker(ActorRef<Dispatcher.Command> dispatcher, Scheduler scheduler, Duration resultTimeout,
                         Duration retryAfter) {
    this.dispatcher = dispatcher;
    this.scheduler = scheduler;
    this.resultTimeout = resultTimeout;
    this.retryAfter = retryAfter;
  }

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
    return AskPattern.ask(dispatcher, replyTo -> new Dispatcher.Submit(new Job(invocation, replyTo)), resultTimeout,
        scheduler);
  }

  public Duration resultTimeout() {
    return resultTimeout;
  }

  /** The Retry-After header's value: whole seconds, at least one. */
  public long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
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
}
