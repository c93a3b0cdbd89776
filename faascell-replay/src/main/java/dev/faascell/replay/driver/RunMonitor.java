package dev.faascell.replay.driver;

import dev.faascell.client.FaascellClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One replay's clock and bookkeeping: its start, the counts the progress bar shows, and the threads
 * that poll the node's status and tell the progress listener, each on its own thread so that a slow
 * status reply never holds up the bar.
 */
final class RunMonitor implements AutoCloseable {
  private static final long PROGRESS_INTERVAL_MS = 250;
  private final ProgressListener listener;
  private final int total;
  private final Duration planned;
  private final Instant startedAt = Instant.now();
  private final long startNanos = System.nanoTime();
  private final StatusPoller poller;
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "replay-monitor");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger late = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private boolean stopped;

  /**
   * @param total invocations scheduled, or -1 for a closed loop
   * @param planned a closed loop's duration (zero for an open loop)
   */
  RunMonitor(FaascellClient node, DriverSettings settings, ProgressListener listener, int total, Duration planned) {
    this.listener = listener;
    this.total = total;
    this.planned = planned;
    this.poller = new StatusPoller(node, settings.statusInterval(), startNanos);
    long interval = settings.statusInterval().toNanos();
    timers.scheduleAtFixedRate(poller::poll, 0, interval, TimeUnit.NANOSECONDS);
    timers.scheduleAtFixedRate(() -> listener.update(progress()), 0, PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  long startNanos() {
    return startNanos;
  }

  void sent(boolean wasLate) {
    sent.incrementAndGet();
    if (wasLate) {
      late.incrementAndGet();
    }
  }

  InvocationRecord completed(InvocationRecord record) {
    completed.incrementAndGet();
    if (!record.succeeded()) {
      failed.incrementAndGet();
    }
    return record;
  }

  /** Milliseconds from the start to {@code nanos} (a System.nanoTime). */
  double ms(long nanos) {
    return (nanos - startNanos) / 1e6;
  }

  /** Stops polling and returns what the replay recorded. */
  RunResult result(List<InvocationRecord> records) {
    double elapsedMs = ms(System.nanoTime());
    close();
    return new RunResult(startedAt, elapsedMs, records, poller.samples(), poller.failures());
  }

  private Progress progress() {
    return new Progress(sent.get(), total, completed.get(), late.get(), failed.get(),
        Duration.ofNanos(System.nanoTime() - startNanos), planned);
  }

  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    timers.shutdownNow();
    try {
      timers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    listener.finish(progress());
  }
}
