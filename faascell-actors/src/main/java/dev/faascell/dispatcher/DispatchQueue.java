package dev.faascell.dispatcher;

import dev.faascell.config.FaascellConfig.DispatcherSettings;
import dev.faascell.invocation.Job;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionName;
import dev.faascell.model.StartKind;
import dev.faascell.policy.admission.QueuePolicy;
import dev.faascell.policy.admission.QueuedInvocation;
import dev.faascell.vmpool.VmPool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The Dispatcher's decisions, without an actor: the bounded queue of waiting invocations, the order the
 * queue policy offers them in (skipping functions at their concurrency limit), what an answer of the
 * pool removes, and what the queue timeout expires. The {@link Dispatcher} actor and the simulator
 * both run it; one offer is out at a time, until it is {@link #answered}.
 */
public final class DispatchQueue {
  /** Weight of the newest observation in each function's moving average of run time. */
  private static final double EWMA_WEIGHT = 0.2;

  /** A waiting invocation the pool refused for good, and why. */
  public record Refusal(Job job, FailureKind kind, String reason) {}

  private final DispatcherSettings settings;
  private final QueuePolicy order;
  private final Map<FunctionName, Double> expectedRunMs = new HashMap<>();
  private final TreeMap<Long, Pending> queue = new TreeMap<>();
  /** Invocations the pool took that have not ended yet, and how many per function. */
  private final Map<String, FunctionName> running = new HashMap<>();
  private final Map<FunctionName, Integer> runningByFunction = new HashMap<>();
  /** The invocations of the offer the pool has not answered yet (by arrival), or null. */
  private Map<String, Long> offered;
  /** Functions deleted while an offer was out: their offered jobs the pool does not take end with them. */
  private final Set<FunctionName> removedWhileOffered = new HashSet<>();
  private long nextArrival;

  public DispatchQueue(DispatcherSettings settings, QueuePolicy order) {
    this.settings = settings;
    this.order = order;
  }

  public QueuePolicy order() {
    return order;
  }

  public int size() {
    return queue.size();
  }

  public int capacity() {
    return settings.queueCapacity();
  }

  public boolean full() {
    return queue.size() >= settings.queueCapacity();
  }

  public int running() {
    return running.size();
  }

  public boolean offerOut() {
    return offered != null;
  }

  /** {@code job} (already stamped as enqueued) waits at the end of the queue. */
  public void add(Job job, long now) {
    long arrival = nextArrival++;
    queue.put(arrival, new Pending(job, arrival, now));
  }

  /**
   * The waiting invocations to offer the pool, in the queue policy's order, except those of functions
   * at their concurrency limit; empty if there is none or an offer is already out.
   */
  public List<Job> nextOffer(long now) {
    if (offered != null || queue.isEmpty()) {
      return List.of();
    }
    List<QueuedInvocation> arrivalOrder = new ArrayList<>(queue.size());
    for (Pending pending : queue.values()) {
      arrivalOrder.add(new QueuedInvocation(pending.arrival(), pending.job().invocation().functionName(),
          pending.enqueuedNanos()));
    }
    int limit = settings.maxConcurrencyPerFunction();
    Map<FunctionName, Integer> admitted = limit > 0 ? new HashMap<>(runningByFunction) : Map.of();
    List<Job> jobs = new ArrayList<>();
    Map<String, Long> ids = new HashMap<>();
    for (QueuedInvocation next : order.order(arrivalOrder, expectedRunMs)) {
      if (limit > 0 && admitted.merge(next.function(), 1, Integer::sum) > limit) {
        continue;
      }
      Job job = queue.get(next.arrival()).job();
      jobs.add(job.dequeued(now));
      ids.put(job.invocation().id(), next.arrival());
    }
    if (!jobs.isEmpty()) {
      offered = ids;
    }
    return jobs;
  }

  /** The pool answered the offer that is out: what it took is running, what it refused is returned. */
  public List<Refusal> answered(VmPool.Answer answer) {
    List<Refusal> refusals = new ArrayList<>();
    if (offered == null) {
      return refusals;
    }
    for (Map.Entry<String, Long> entry : offered.entrySet()) {
      if (answer.taken().contains(entry.getKey())) {
        FunctionName function = queue.remove(entry.getValue()).job().invocation().functionName();
        running.put(entry.getKey(), function);
        runningByFunction.merge(function, 1, Integer::sum);
      } else if (answer.refused().containsKey(entry.getKey())) {
        refusals.add(new Refusal(queue.remove(entry.getValue()).job(), FailureKind.NO_CAPACITY,
            answer.refused().get(entry.getKey())));
      } else {
        Job job = queue.get(entry.getValue()).job();
        FunctionName function = job.invocation().functionName();
        if (removedWhileOffered.contains(function)) {
          queue.remove(entry.getValue());
          refusals.add(new Refusal(job, FailureKind.FUNCTION_GONE, "function " + function + " was deleted"));
        }
      }
    }
    offered = null;
    removedWhileOffered.clear();
    return refusals;
  }

  /**
   * An invocation ended: its function's concurrency is freed, and a warm run teaches the queue policy.
   * True if that may let the pool take more (a concurrency limit applies).
   */
  public boolean finished(String invocationId, FunctionName function, StartKind startKind, long runNanos) {
    boolean freed = false;
    if (running.remove(invocationId) != null) {
      runningByFunction.computeIfPresent(function, (f, n) -> n > 1 ? n - 1 : null);
      freed = settings.maxConcurrencyPerFunction() > 0;
    }
    if (startKind == StartKind.WARM && runNanos > 0) {
      expectedRunMs.merge(function, runNanos / 1e6, (old, now) -> old * (1 - EWMA_WEIGHT) + now * EWMA_WEIGHT);
    }
    return freed;
  }

  /** Removes and returns the queued invocations that waited the queue timeout, except those offered. */
  public List<Job> expired(long now) {
    long limit = settings.queueTimeout().toNanos();
    return removeIf(pending -> now - pending.job().invocation().receivedNanos() >= limit);
  }

  /**
   * Removes and returns the queued invocations of {@code function}, except those offered: those the
   * pool does not take come back from {@link #answered} as refused.
   */
  public List<Job> removeFunction(FunctionName function) {
    if (offered != null) {
      removedWhileOffered.add(function);
    }
    return removeIf(pending -> pending.job().invocation().functionName().equals(function));
  }

  private List<Job> removeIf(Predicate<Pending> match) {
    Set<String> undecided = offered == null ? Set.of() : offered.keySet();
    List<Job> removed = new ArrayList<>();
    for (Iterator<Pending> it = queue.values().iterator(); it.hasNext(); ) {
      Pending pending = it.next();
      if (match.test(pending) && !undecided.contains(pending.job().invocation().id())) {
        it.remove();
        removed.add(pending.job());
      }
    }
    return removed;
  }
}
