package dev.faascell.source.kafka;

import dev.faascell.dispatcher.Dispatcher;
import dev.faascell.dispatcher.Job;
import dev.faascell.model.Invocation;
import dev.faascell.model.InvocationResult;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * How a Source outside the actor system hands an invocation to the Dispatcher and gets its one
 * result back, exactly as the HTTP Source does: a {@link Job} whose reply goes to a temporary actor.
 *
 * @param timeout longer than any invocation can take (queue, boot, init and the function's timeout)
 */
public record InvocationSubmitter(ActorRef<Dispatcher.Command> dispatcher, Scheduler scheduler, Duration timeout) {
  public CompletionStage<InvocationResult> submit(Invocation invocation) {
    return AskPattern.ask(dispatcher, replyTo -> new Dispatcher.Submit(new Job(invocation, replyTo)), timeout,
        scheduler);
  }
}
