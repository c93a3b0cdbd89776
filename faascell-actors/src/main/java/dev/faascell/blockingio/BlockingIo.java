package dev.faascell.blockingio;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where actors hand their blocking work — SQLite, the journal and trace files, snapshot files, /proc
 * — so that no actor thread waits on a disk: the dispatcher {@value #DISPATCHER} (reference.conf).
 * The work touches none of the actor's state; its result comes back to the actor as a message
 * ({@code pipeToSelf}), and the actor changes its state on its own thread.
 */
public final class BlockingIo {
  public static final String DISPATCHER = "faascell.actors.blocking-io-dispatcher";
  private static final Logger log = LoggerFactory.getLogger(BlockingIo.class);
  /** How long a stopping actor waits for its lane: far longer than a few appends or store writes take. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);

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

  /**
   * Waits until every task handed to {@code lane} so far has run. Only for an actor that is stopping
   * (its PostStop): a node that stops gracefully has then written all its actors asked for — no
   * invocation it answered is reported lost at the next start.
   */
  public static void drain(Executor lane) {
    try {
      CompletableFuture.runAsync(() -> { }, lane).get(DRAIN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.warn("event=blocking-lane-not-drained reason=\"{}\"", e.toString());
    }
  }
}
