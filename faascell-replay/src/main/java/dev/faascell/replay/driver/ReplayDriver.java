package dev.faascell.replay.driver;

import dev.faascell.client.ApiResponse;
import dev.faascell.client.FaascellClient;
import dev.faascell.client.InvocationReply;
import dev.faascell.replay.arrivals.ClosedLoopSource;
import dev.faascell.replay.arrivals.Schedule;
import dev.faascell.replay.arrivals.ScheduledInvocation;
import dev.faascell.replay.workload.SyntheticFunction;
import dev.faascell.replay.workload.WorkRequest;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives a running node over its HTTP API: deploys the replay's functions, then sends the load and
 * records every invocation, polling the node's status meanwhile.
 *
 * <p>Open loop: one thread sends each invocation at its due time without waiting for replies (they
 * arrive on the HTTP client's threads), so a slow node never delays the schedule; if the sender itself
 * falls behind, an invocation is still sent, as soon as it can be, and recorded as late with its
 * lateness. Every scheduled invocation ends in exactly one record. Closed loop: one thread per
 * client, each waiting for its reply before it thinks and sends again.
 */
public final class ReplayDriver {
  private final DriverSettings settings;
  private final FaascellClient node;
  private final ProgressListener progress;

  public ReplayDriver(DriverSettings settings, ProgressListener progress) {
    this.settings = settings;
    this.node = FaascellClient.to(settings.node().toString()).http11().connectTimeout(Duration.ofSeconds(10))
        .requestTimeout(settings.requestTimeout()).build();
    this.progress = progress;
  }

  /** Deploys (or updates) every function; the first the node refuses ends the replay before any load. */
  public void deploy(List<SyntheticFunction> functions) {
    functions.forEach(this::deploy);
  }

  private void deploy(SyntheticFunction function) {
    ApiResponse response;
    try {
      response = node.send("PUT", "/v1/functions/" + function.name(), function.deployJson().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ReplayException(e instanceof ConnectException ? node.noDaemonMessage()
          : "request to " + node.base() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReplayException("interrupted while deploying " + function.name(), e);
    }
    if (!response.successful()) {
      throw new ReplayException("deploying " + function.name() + " failed: HTTP " + response.status() + ": " + response.body());
    }
  }

  public RunResult runOpenLoop(Schedule schedule) throws InterruptedException {
    try (RunMonitor monitor = new RunMonitor(node, settings, progress, schedule.size(), Duration.ZERO)) {
      List<CompletableFuture<InvocationRecord>> records = new ArrayList<>(schedule.size());
      for (int i = 0; i < schedule.size(); i++) {
        ScheduledInvocation invocation = schedule.invocations().get(i);
        long due = monitor.startNanos() + invocation.offsetNanos();
        sleepUntil(due);
        long sent = System.nanoTime();
        boolean late = sent - due > settings.lateThreshold().toNanos();
        monitor.sent(late);
        int index = i;
        records.add(node.invokeAsync(invocation.function(), invocation.work().toJson()).thenApply(reply ->
            monitor.completed(record(monitor, index, invocation.function(), invocation.work(), due, sent, late, reply))));
      }
      List<InvocationRecord> all = new ArrayList<>(records.size());
      for (CompletableFuture<InvocationRecord> record : records) {
        all.add(record.join());
      }
      return monitor.result(all);
    }
  }

  public RunResult runClosedLoop(ClosedLoopSource source) throws InterruptedException {
    ExecutorService clients = Executors.newFixedThreadPool(source.clients());
    try (RunMonitor monitor = new RunMonitor(node, settings, progress, -1, source.duration())) {
      long deadline = monitor.startNanos() + source.duration().toNanos();
      AtomicInteger nextIndex = new AtomicInteger();
      Queue<InvocationRecord> records = new ConcurrentLinkedQueue<>();
      List<Future<?>> running = new ArrayList<>();
      for (int client = 0; client < source.clients(); client++) {
        String function = source.functionOf(client);
        running.add(clients.submit(() -> {
          while (System.nanoTime() < deadline) {
            long sent = System.nanoTime();
            int index = nextIndex.getAndIncrement();
            monitor.sent(false);
            InvocationReply reply = node.invoke(function, source.work().toJson());
            records.add(monitor.completed(record(monitor, index, function, source.work(), sent, sent, false, reply)));
            Thread.sleep(source.think().toMillis());
          }
          return null;
        }));
      }
      for (Future<?> client : running) {
        try {
          client.get();
        } catch (ExecutionException e) {
          throw new ReplayException("a closed-loop client failed: " + e.getCause(), e.getCause());
        }
      }
      List<InvocationRecord> all = new ArrayList<>(records);
      all.sort(Comparator.comparingInt(InvocationRecord::index));
      return monitor.result(all);
    } finally {
      clients.shutdownNow();
    }
  }

  /** Builds the record when the reply has arrived (so "now" is when it was received). */
  private static InvocationRecord record(RunMonitor monitor, int index, String function, WorkRequest work, long due,
                                         long sent, boolean late, InvocationReply reply) {
    long received = System.nanoTime();
    return new InvocationRecord(index, function, monitor.ms(due), monitor.ms(sent), (sent - due) / 1e6, late,
        work.durationMs(), work.memoryMb(), reply.status(), reply.errorKind(), reply.errorMessage(), reply.startKind(),
        reply.vmId(), reply.timings(), (received - sent) / 1e6);
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    for (long remaining = nanos - System.nanoTime(); remaining > 0; remaining = nanos - System.nanoTime()) {
      LockSupport.parkNanos(remaining);
      if (Thread.interrupted()) {
        throw new InterruptedException("the replay was interrupted");
      }
    }
  }
}
