package dev.faascell.blockingio;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs its tasks one at a time, in the order they were handed in, on a shared pool: writes that must
 * reach a file or the store in order (a journal's start before its end) keep it without a thread of
 * their own. Each task sees everything the ones before it did.
 */
public final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor pool;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  /** A drain of the queue is on the pool (or about to be): new tasks join it instead of starting another. */
  private boolean draining;

  public SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      pool.execute(this::drain);
    } catch (RuntimeException rejected) {
      synchronized (tasks) {
        draining = false;
      }
      throw rejected;
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (tasks) {
        next = tasks.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        // one failed write must not stop the ones after it
        log.warn("event=blocking-task-failed reason=\"{}\"", e.toString());
      }
    }
  }
}
