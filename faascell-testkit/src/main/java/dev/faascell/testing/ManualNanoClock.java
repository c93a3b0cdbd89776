package dev.faascell.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A nanoTime clock that moves only when a test advances it, so that tests of time-driven behaviour
 * (keep-alive windows, pre-warming) take no wall-clock time and cannot be flaky about timing.
 */
public final class ManualNanoClock implements LongSupplier {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override
  public long getAsLong() {
    return nanos.get();
  }

  public void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }
}
