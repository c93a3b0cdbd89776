package dev.faascell.snapshot;

import dev.faascell.config.FaascellConfig.SnapshotVerification;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SnapshotManager's background verification rounds, on its thread: which of the fastest tier's
 * snapshots are still to be re-hashed in this round, and that only one is at a time, so a round costs
 * at most one blocking I/O thread and the configured read rate. Its cost is measured: the seconds and
 * bytes of every check (faascell_snapshots_verification_seconds, faascell_snapshots_verified_bytes_total,
 * and ms per MiB in the debug log).
 */
final class SnapshotVerifier {
  private static final Logger log = LoggerFactory.getLogger(SnapshotManager.class);

  private final SnapshotVerification settings;
  private final Deque<String> pending = new ArrayDeque<>();
  private final Timer checks;
  private final Counter bytes;
  private boolean checking;

  SnapshotVerifier(SnapshotVerification settings, MeterRegistry metrics) {
    this.settings = settings;
    this.checks = Timer.builder("faascell.snapshots.verification")
        .description("background re-hashes of the fastest tier's snapshots, read-rate limit included")
        .register(metrics);
    this.bytes = Counter.builder("faascell.snapshots.verified").baseUnit("bytes")
        .description("bytes the background verification re-hashed").register(metrics);
  }

  long bytesPerSecond() {
    return settings.bytesPerSecond();
  }

  /** A new round over {@code snapshots}, unless the last one is still under way. */
  void startRound(List<SnapshotRecord> snapshots) {
    if (pending.isEmpty() && !checking) {
      snapshots.forEach(record -> pending.add(record.id()));
    }
  }

  /**
   * The next snapshot of the round to check, if none is being checked: those {@code current} no
   * longer finds (discarded, or moving) are skipped.
   */
  Optional<SnapshotRecord> next(Function<String, Optional<SnapshotRecord>> current) {
    while (!checking && !pending.isEmpty()) {
      Optional<SnapshotRecord> record = current.apply(pending.poll());
      if (record.isPresent()) {
        checking = true;
        return record;
      }
    }
    return Optional.empty();
  }

  /** The check of {@code record} is over. */
  void done(SnapshotRecord record, SnapshotStorage.Verification verification) {
    checking = false;
    checks.record(verification.nanos(), TimeUnit.NANOSECONDS);
    bytes.increment(record.bytes());
    double mib = Math.max(record.bytes(), 1) / (double) (1 << 20);
    log.debug("event=snapshot-verified snapshot={} mb={} ms={} ms_per_mib={} sound={}", record.id(),
        record.bytes() >> 20, verification.nanos() / 1_000_000, String.format("%.2f", verification.nanos() / 1e6 / mib),
        verification.problem() == null);
  }
}
