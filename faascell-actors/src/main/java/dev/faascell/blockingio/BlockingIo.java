package dev.faascell.blockingio;

import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * Where actors hand their blocking work — SQLite, the journal and trace files, snapshot files, /proc
 * — so that no actor thread waits on a disk: the dispatcher {@value #DISPATCHER} (reference.conf).
 * The work touches none of the actor's state; its result comes back to the actor as a message
 * ({@code pipeToSelf}), and the actor changes its state on its own thread.
 */
public final class BlockingIo {
  public static final String DISPATCHER = "faascell.actors.blocking-io-dispatcher";

  private BlockingIo() {
  }

  /** The shared pool: tasks run at once, in any order. */
  public static Executor executor(ActorContext<?> ctx) {
    return ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(DISPATCHER));
  }

  /** A lane on the shared pool: its tasks run one at a time, in the order they were handed in. */
  public static Executor lane(ActorContext<?> ctx) {
    return new SerialExecutor(executor(ctx));
  }
}
