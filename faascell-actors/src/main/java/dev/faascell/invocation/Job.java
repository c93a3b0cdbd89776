package dev.faascell.invocation;

import dev.faascell.model.Invocation;
import dev.faascell.model.InvocationResult;
import org.apache.pekko.actor.typed.ActorRef;

/** An invocation and where its one result goes: what flows Source → Dispatcher → VmPool → Worker → Sink. */
public record Job(Invocation invocation, ActorRef<InvocationResult> replyTo) {
  public Job enqueued(long nanos) {
    return new Job(invocation.enqueued(nanos), replyTo);
  }

  public Job dequeued(long nanos) {
    return new Job(invocation.dequeued(nanos), replyTo);
  }

  public Job assigned(long nanos) {
    return new Job(invocation.assigned(nanos), replyTo);
  }

  public Job slotGranted(long nanos) {
    return new Job(invocation.slotGranted(nanos), replyTo);
  }
}
