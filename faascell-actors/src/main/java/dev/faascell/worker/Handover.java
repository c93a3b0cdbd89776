package dev.faascell.worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a future brings back to an actor by message: a started VM, a guest connection. If the actor
 * stops meanwhile the message goes to dead letters and the resource with it, so its PostStop
 * releases what is on its way, and what arrives later is released at once. Each resource is released
 * at most once, and never after the actor received it (then it is the actor's).
 */
final class Handover {
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<Object, Runnable> onTheirWay = new ConcurrentHashMap<>();

  /** Called by the future with what it brings back, and how to release it. */
  <T> T bringing(T resource, Runnable release) {
    onTheirWay.put(resource, release);
    if (closed.get()) {
      release(resource);
    }
    return resource;
  }

  /** Called by the actor when the message carrying {@code resource} arrives. */
  void received(Object resource) {
    onTheirWay.remove(resource);
  }

  /** Called at the actor's PostStop. */
  void close() {
    closed.set(true);
    onTheirWay.keySet().forEach(this::release);
  }

  private void release(Object resource) {
    Runnable release = onTheirWay.remove(resource);
    if (release != null) {
      release.run();
    }
  }
}
