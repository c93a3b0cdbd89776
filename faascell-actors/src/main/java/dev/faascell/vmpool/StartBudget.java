package dev.faascell.vmpool;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The node's start slots: at most {@code slots} VM starts (restores and cold boots) under way at once,
 * and a short line of starts waiting for one, in order. Starting a VM is the scarcest thing a node
 * does (under TCG a start keeps a core busy), so a burst's starts queue here instead of all running at
 * once and all missing their timeouts. The line holds at most one start per slot: further invocations
 * wait in the Dispatcher's queue, where a VM that frees first can still serve them.
 */
final class StartBudget {
  private final int slots;
  private final Set<String> running = new HashSet<>();
  private final Deque<String> waiting = new ArrayDeque<>();

  StartBudget(int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("a node needs at least one start slot");
    }
    this.slots = slots;
  }

  int slots() {
    return slots;
  }

  int inUse() {
    return running.size();
  }

  int waiting() {
    return waiting.size();
  }

  /** Whether another start may join the line. */
  boolean canQueue() {
    return waiting.size() < slots;
  }

  /** {@code vmId} waits for a slot behind the starts already waiting. */
  void enqueue(String vmId) {
    waiting.addLast(vmId);
  }

  /** {@code vmId} takes the next free slot before every waiting start (a retry of a start that had one). */
  void enqueueFirst(String vmId) {
    waiting.addFirst(vmId);
  }

  /** The next waiting start, now holding a slot; empty when no slot is free or nothing waits. */
  Optional<String> grantNext() {
    if (running.size() >= slots || waiting.isEmpty()) {
      return Optional.empty();
    }
    String next = waiting.pollFirst();
    running.add(next);
    return Optional.of(next);
  }

  /** {@code vmId}'s start ended (done, failed or abandoned), or it left the line; true if it held a slot. */
  boolean release(String vmId) {
    waiting.remove(vmId);
    return running.remove(vmId);
  }
}
