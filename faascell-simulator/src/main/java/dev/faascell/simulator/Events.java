package dev.faascell.simulator;

import java.util.Arrays;

/**
 * The simulation's future: events by time, ties in the order they were scheduled, so that a run is the
 * same on every replay of its seed. A binary heap over parallel arrays (times, sequence numbers,
 * events) rather than a queue of boxed entries: millions of events per second stay cheap.
 */
final class Events {
  /** Something that happens at a virtual time. */
  interface Event {
    void happen(long now);
  }

  private long[] times = new long[1024];
  private long[] sequence = new long[1024];
  private Event[] events = new Event[1024];
  private int size;
  private long nextSequence;

  void at(long time, Event event) {
    if (size == times.length) {
      times = Arrays.copyOf(times, size * 2);
      sequence = Arrays.copyOf(sequence, size * 2);
      events = Arrays.copyOf(events, size * 2);
    }
    int i = size++;
    long seq = nextSequence++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(time, seq, times[parent], sequence[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    times[i] = time;
    sequence[i] = seq;
    events[i] = event;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The time of the next event; only when not empty. */
  long nextTime() {
    return times[0];
  }

  /** Removes and returns the next event. */
  Event poll() {
    Event first = events[0];
    int last = --size;
    long time = times[last];
    long seq = sequence[last];
    Event event = events[last];
    events[last] = null;
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= last) {
        break;
      }
      if (child + 1 < last && before(times[child + 1], sequence[child + 1], times[child], sequence[child])) {
        child++;
      }
      if (!before(times[child], sequence[child], time, seq)) {
        break;
      }
      move(child, i);
      i = child;
    }
    if (last > 0) {
      times[i] = time;
      sequence[i] = seq;
      events[i] = event;
    }
    return first;
  }

  private void move(int from, int to) {
    times[to] = times[from];
    sequence[to] = sequence[from];
    events[to] = events[from];
  }

  private static boolean before(long time, long seq, long otherTime, long otherSeq) {
    return time < otherTime || (time == otherTime && seq < otherSeq);
  }
}
