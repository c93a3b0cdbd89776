package dev.faascell.policy.keepalive;

import dev.faascell.model.FunctionName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hybrid histogram policy of Shahrad et al. ("Serverless in the Wild", ATC '20). Per function, a
 * histogram of the idle times between its invocations gives two windows: a pre-warm window (the
 * head, a low percentile: no invocation is expected before it, so the VM is stopped at once) and a
 * keep-alive window (up to the tail, a high percentile, plus a margin: a VM is kept, or started
 * ahead — pre-warmed, restored from the snapshot — for it). A function with too few samples, or whose
 * idle times mostly fall beyond the histogram, gets a fixed keep-alive instead.
 */
public final class HybridHistogramKeepAlive implements KeepAlivePolicy {
  /** The policy's knobs (faascell.keep-alive.hybrid-histogram). */
  public record Settings(Duration binWidth, int bins, int minSamples, double headPercentile, double tailPercentile,
                         double margin, Duration fallbackKeepAlive) {}

  /** What the histogram says about one function; {@code prewarmNanos} 0 means keep the VM loaded. */
  public record Windows(long prewarmNanos, long keepAliveNanos, boolean fallback) {}

  private static final class History {
    final long[] histogram;
    long samples;
    long outOfRange;
    long lastArrival = -1;
    long prewarmedForArrival = -1;

    History(int bins) {
      histogram = new long[bins];
    }
  }

  private final Settings settings;
  private final Map<FunctionName, History> histories = new HashMap<>();

  public HybridHistogramKeepAlive(Settings settings) {
    this.settings = settings;
  }

  @Override
  public void invoked(FunctionName function, long nowNanos) {
    History history = histories.computeIfAbsent(function, f -> new History(settings.bins()));
    if (history.lastArrival >= 0) {
      long bin = (nowNanos - history.lastArrival) / settings.binWidth().toNanos();
      if (bin < settings.bins()) {
        history.histogram[(int) bin]++;
      } else {
        history.outOfRange++;
      }
      history.samples++;
    }
    history.lastArrival = nowNanos;
  }

  /** The function's windows as of now. */
  public Windows windows(FunctionName function) {
    History history = histories.get(function);
    long fallback = settings.fallbackKeepAlive().toNanos();
    if (history == null || history.samples < settings.minSamples() || history.outOfRange * 2 > history.samples) {
      return new Windows(0, fallback, true);
    }
    long width = settings.binWidth().toNanos();
    long head = percentileBin(history, settings.headPercentile()) * width;
    long tail = (percentileBin(history, settings.tailPercentile()) + 1) * width;
    long prewarm = (long) (head * (1 - settings.margin()));
    long keepAlive = (long) (tail * (1 + settings.margin())) - prewarm;
    return new Windows(prewarm, keepAlive, false);
  }

  private static int percentileBin(History history, double percentile) {
    long inRange = history.samples - history.outOfRange;
    long wanted = (long) Math.ceil(inRange * percentile / 100.0);
    long seen = 0;
    for (int bin = 0; bin < history.histogram.length; bin++) {
      seen += history.histogram[bin];
      if (seen >= Math.max(1, wanted)) {
        return bin;
      }
    }
    return history.histogram.length - 1;
  }

  @Override
  public List<Decision> expired(Collection<IdleVm> idle, long nowNanos) {
    List<Decision> expired = new ArrayList<>();
    for (IdleVm vm : idle) {
      History history = histories.get(vm.function());
      long since = history == null || history.lastArrival < 0 ? vm.idleSinceNanos() : history.lastArrival;
      Windows w = windows(vm.function());
      long elapsed = nowNanos - since;
      if (w.prewarmNanos() > 0 && elapsed < w.prewarmNanos()) {
        expired.add(new Decision(vm, "pre-warm window: no invocation expected for another "
            + (w.prewarmNanos() - elapsed) / 1_000_000 + " ms"));
      } else if (elapsed >= w.prewarmNanos() + w.keepAliveNanos()) {
        expired.add(new Decision(vm, (w.fallback() ? "fixed keep-alive (too few samples) of " : "keep-alive window of ")
            + w.keepAliveNanos() / 1_000_000 + " ms is over"));
      }
    }
    return expired;
  }

  @Override
  public List<Decision> victims(Collection<IdleVm> idle, int memoryMb, long nowNanos) {
    return LruKeepAlive.leastRecentlyUsed(idle);
  }

  @Override
  public List<Prewarm> prewarm(Set<FunctionName> ready, long nowNanos) {
    List<Prewarm> prewarms = new ArrayList<>();
    histories.forEach((function, history) -> {
      Windows w = windows(function);
      long opens = history.lastArrival + w.prewarmNanos();
      boolean inWindow = nowNanos >= opens && nowNanos < opens + w.keepAliveNanos();
      if (w.prewarmNanos() > 0 && inWindow && !ready.contains(function)
          && history.prewarmedForArrival != history.lastArrival) {
        history.prewarmedForArrival = history.lastArrival;
        prewarms.add(new Prewarm(function, "its next invocation is expected within "
            + w.keepAliveNanos() / 1_000_000 + " ms"));
      }
    });
    return prewarms;
  }

  @Override
  public String name() {
    return "hybrid-histogram";
  }
}
