package dev.faascell.snapshot;

import dev.faascell.blockingio.BlockingIo;
import dev.faascell.config.FaascellConfig.SnapshotVerification;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.policy.placement.PlacementAction;
import dev.faascell.policy.placement.PlacementPolicy;
import dev.faascell.policy.placement.SnapshotUsage;
import dev.faascell.policy.placement.TierState;
import dev.faascell.util.Failures;
import dev.faascell.util.FileTrees;
import dev.faascell.vmm.SnapshotFiles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every snapshot on the node: its files, its metadata in the node store, and the storage tier it
 * lives on. Workers hand it the snapshots they take; the placement policy decides the tier of each
 * and what moves down or goes when a tier is full; the VmPool hears which snapshot serves each
 * function version. Files are only ever moved by copy-then-delete, so running clones never notice.
 * The fastest tier's snapshots are re-hashed in the background ({@link SnapshotVerifier}); one whose
 * files no longer match its record — found so there or by a restore — is quarantined: it is no
 * longer published, its files go, and faascell_snapshots_quarantined_total counts it.
 * Its store writes and file work run off its thread ({@link SnapshotStorage}); what they find comes back
 * as its own messages.
 */
public final class SnapshotManager extends AbstractBehavior<SnapshotManager.Command> {
  private static final Logger log = LoggerFactory.getLogger(SnapshotManager.class);
  /** In-flight restores that began with the old path get this long before a moved snapshot's old files go. */
  private static final Duration OLD_FILES_GRACE = Duration.ofSeconds(30);
  private static final String QUARANTINED_BY_VERIFICATION = "verification";
  private static final String QUARANTINED_BY_RESTORE = "restore";

  /** The SnapshotManager's protocol. */
  public sealed interface Command {}

  /** {@code pool} hears which snapshot serves each function version, now and whenever that changes. */
  public record Attach(ActorRef<Published> pool) implements Command {}

  /** The best snapshot of each function version ({@code name@version}). */
  public record Published(Map<String, SnapshotRecord> byFunction) {
    public Published {
      byFunction = Map.copyOf(byFunction);
    }
  }

  /** A Worker took a snapshot into {@code staged}; check it, place it, record it. */
  public record Adopt(FunctionSpec function, SnapshotFiles staged, Optional<ActorRef<SnapshotOutcome>> requester)
      implements Command {}

  /** A Worker could not take the snapshot it was asked for. */
  public record SnapshotFailed(FunctionSpec function, String reason, Optional<ActorRef<SnapshotOutcome>> requester)
      implements Command {}

  public record RestoreSucceeded(String snapshotId) implements Command {}

  /** A restore from {@code directory} failed: unless the snapshot has moved since, it is discarded. */
  public record RestoreFailed(String snapshotId, Path directory, String reason) implements Command {}

  /** A function was redeployed ({@code currentVersion}) or deleted (empty): its other snapshots go. */
  public record FunctionChanged(FunctionName function, Optional<String> currentVersion) implements Command {}

  public record ListSnapshots(ActorRef<List<SnapshotRecord>> replyTo) implements Command {}

  public record Delete(String snapshotId, ActorRef<Boolean> replyTo) implements Command {}

  /** A staged snapshot was measured: its tier can be chosen. */
  private record Measured(FunctionSpec function, SnapshotStorage.Staged staged,
                          Optional<ActorRef<SnapshotOutcome>> requester) implements Command {}

  /** A snapshot is on its tier and in the catalog. */
  private record Adopted(SnapshotRecord record, Optional<ActorRef<SnapshotOutcome>> requester) implements Command {}

  private record Moved(String snapshotId, String tier, Path directory, Path oldDirectory) implements Command {}

  private record MoveFailed(String snapshotId, String reason) implements Command {}

  private record DeleteFiles(Path directory) implements Command {}

  /** Time for a verification round of the fastest tier's snapshots. */
  private record VerifyRound() implements Command {}

  /** A snapshot was re-hashed in the background. */
  private record Verified(SnapshotRecord record, SnapshotStorage.Verification verification) implements Command {}

  private final List<Tier> tiers;
  private final PlacementPolicy placement;
  private final SnapshotStorage storage;
  private final String platform;
  private final Clock clock;
  private final TimerScheduler<Command> timers;
  private final Map<String, SnapshotRecord> snapshots = new LinkedHashMap<>();
  private final Set<String> moving = new HashSet<>();
  /** Functions the registry retired while their snapshot was still being adopted. */
  private final Map<FunctionName, Optional<String>> changed = new HashMap<>();
  private ActorRef<Published> pool;
  /** Per tier: snapshot count and bytes, as the gauges read them from the metrics thread. */
  private final Map<String, AtomicLong[]> tierGauges = new HashMap<>();
  private final SnapshotVerifier verifier;
  private final MeterRegistry metrics;

  /**
   * @param existing the snapshots that survived the start-up reconciliation
   * @param platform the image, VMM and accelerator new snapshots are made under
   */
  public static Behavior<Command> create(List<Tier> tiers, PlacementPolicy placement, SnapshotCatalog catalog,
                                         String platform, List<SnapshotRecord> existing, Clock clock,
                                         SnapshotVerification verification, MeterRegistry metrics) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new SnapshotManager(ctx, timers, tiers, placement, catalog, platform, existing, clock, verification, metrics)));
  }

  private SnapshotManager(ActorContext<Command> ctx, TimerScheduler<Command> timers, List<Tier> tiers,
                          PlacementPolicy placement, SnapshotCatalog catalog, String platform,
                          List<SnapshotRecord> existing, Clock clock, SnapshotVerification verification,
                          MeterRegistry metrics) {
    super(ctx);
    for (Tier tier : tiers) {
      AtomicLong count = new AtomicLong();
      AtomicLong bytes = new AtomicLong();
      tierGauges.put(tier.name(), new AtomicLong[] {count, bytes});
      Gauge.builder("faascell.snapshots", count, AtomicLong::get)
          .description("snapshots per storage tier").tag("tier", tier.name()).register(metrics);
      Gauge.builder("faascell.snapshots.size", bytes, AtomicLong::get).baseUnit("bytes")
          .description("bytes of snapshots per storage tier").tag("tier", tier.name()).register(metrics);
      Gauge.builder("faascell.snapshots.capacity", tier::capacityBytes).baseUnit("bytes")
          .description("capacity of each storage tier").tag("tier", tier.name()).register(metrics);
    }
    this.timers = timers;
    this.tiers = tiers.stream().sorted(Comparator.comparingInt(Tier::rank)).toList();
    this.placement = placement;
    this.storage = new SnapshotStorage(catalog, BlockingIo.executor(ctx), BlockingIo.lane(ctx));
    this.platform = platform;
    this.clock = clock;
    this.metrics = metrics;
    this.verifier = new SnapshotVerifier(verification, metrics);
    for (String foundBy : List.of(QUARANTINED_BY_VERIFICATION, QUARANTINED_BY_RESTORE)) {
      quarantined(foundBy);   // both series exist from the start, at 0
    }
    if (verification.enabled()) {
      timers.startTimerWithFixedDelay("verify", new VerifyRound(), verification.interval());
    }
    existing.forEach(record -> snapshots.put(record.id(), record));
  }

  /** Where Workers write snapshots before they are adopted: the fastest tier's file system. */
  public static Path stagingDirectory(List<Tier> tiers) {
    return tiers.stream().min(Comparator.comparingInt(Tier::rank)).orElseThrow().path().resolve(".staging");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Attach.class, this::onAttach)
        .onMessage(Adopt.class, this::onAdopt)
        .onMessage(Measured.class, this::onMeasured)
        .onMessage(Adopted.class, this::onAdopted)
        .onMessage(SnapshotFailed.class, this::onSnapshotFailed)
        .onMessage(RestoreSucceeded.class, this::onRestoreSucceeded)
        .onMessage(RestoreFailed.class, this::onRestoreFailed)
        .onMessage(FunctionChanged.class, this::onFunctionChanged)
        .onMessage(Moved.class, this::onMoved)
        .onMessage(MoveFailed.class, this::onMoveFailed)
        .onMessage(DeleteFiles.class, msg -> {
          storage.deleteFiles(msg.directory());
          return this;
        })
        .onMessage(ListSnapshots.class, msg -> {
          msg.replyTo().tell(List.copyOf(snapshots.values()));
          return this;
        })
        .onMessage(Delete.class, this::onDelete)
        .onMessage(VerifyRound.class, msg -> {
          Tier fastest = tiers.get(0);
          verifier.startRound(snapshots.values().stream().filter(r -> r.tier().equals(fastest.name())).toList());
          verifyNext();
          return this;
        })
        .onMessage(Verified.class, this::onVerified)
        .onSignal(PostStop.class, signal -> {
          storage.finishCatalogWrites();
          return this;
        })
        .build();
  }

  private Behavior<Command> onAttach(Attach msg) {
    pool = msg.pool();
    rebalance();
    publish();
    return this;
  }

  // ---- new snapshots -------------------------------------------------------------------------

  private Behavior<Command> onAdopt(Adopt msg) {
    getContext().pipeToSelf(storage.measure(msg.staged()), (staged, error) -> error == null
        ? new Measured(msg.function(), staged, msg.requester())
        : new SnapshotFailed(msg.function(), "cannot store the snapshot: " + Failures.rootMessage(error), msg.requester()));
    return this;
  }

  private Behavior<Command> onMeasured(Measured msg) {
    FunctionSpec function = msg.function();
    SnapshotStorage.Staged staged = msg.staged();
    Tier tier = tier(placement.placeNew(staged.bytes(), tierStates()));
    String id = function.name().value() + "-" + UUID.randomUUID().toString().substring(0, 8);
    SnapshotRecord record = new SnapshotRecord(id, function.name(), function.version(), platform,
        staged.files().format(), function.memoryMb(), function.vcpus(), tier.name(), tier.path().resolve(id),
        staged.stateBytes(), staged.stateSha256(), staged.ramBytes(), staged.ramSha256(), clock.instant(),
        Instant.EPOCH, 0);
    getContext().pipeToSelf(storage.adopt(staged, record), (adopted, error) -> error == null
        ? new Adopted(adopted, msg.requester()) : new SnapshotFailed(function, adoptionFailure(error), msg.requester()));
    return this;
  }

  private Behavior<Command> onAdopted(Adopted msg) {
    SnapshotRecord record = msg.record();
    Optional<String> current = changed.get(record.function());
    if (current != null && !current.map(record.functionVersion()::equals).orElse(false)) {
      storage.forget(record.id());
      storage.deleteFiles(record.directory());
      msg.requester().ifPresent(n -> n.tell(new SnapshotOutcome.Failed("the function changed while it was snapshotted")));
      return this;
    }
    snapshots.put(record.id(), record);
    log.info("event=snapshot-created snapshot={} function={} version={} format={} tier={} mb={}", record.id(),
        record.function(), record.functionVersion(), record.format().wireName(), record.tier(), record.bytes() >> 20);
    msg.requester().ifPresent(n -> n.tell(new SnapshotOutcome.Created(record)));
    rebalance();
    publish();
    return this;
  }

  private Behavior<Command> onSnapshotFailed(SnapshotFailed msg) {
    log.warn("event=snapshot-failed function={} reason=\"{}\"", msg.function().name(), msg.reason());
    msg.requester().ifPresent(n -> n.tell(new SnapshotOutcome.Failed(msg.reason())));
    return this;
  }

  // ---- restores ------------------------------------------------------------------------------

  private Behavior<Command> onRestoreSucceeded(RestoreSucceeded msg) {
    SnapshotRecord record = snapshots.get(msg.snapshotId());
    if (record == null) {
      return this;
    }
    SnapshotRecord restored = record.restored(clock.instant());
    snapshots.put(restored.id(), restored);
    storage.save(restored);
    if (!moving.contains(restored.id())) {
      placement.afterRestore(usage(restored), tierStates())
          .ifPresent(to -> move(restored, to, "restored from " + restored.tier()));
    }
    return this;
  }

  private Behavior<Command> onRestoreFailed(RestoreFailed msg) {
    SnapshotRecord record = snapshots.get(msg.snapshotId());
    if (record != null && record.directory().equals(msg.directory())) {
      quarantine(record, QUARANTINED_BY_RESTORE, msg.reason());
    }
    return this;
  }

  // ---- background verification ---------------------------------------------------------------

  /** Re-hashes the round's next snapshot that is still where it was, unless one is being re-hashed. */
  private void verifyNext() {
    verifier.next(id -> Optional.ofNullable(snapshots.get(id)).filter(r -> !moving.contains(id))).ifPresent(record ->
        getContext().pipeToSelf(storage.verify(record, verifier.bytesPerSecond()), (verification, error) ->
            new Verified(record, error == null ? verification
                : new SnapshotStorage.Verification("it cannot be checked: " + Failures.rootMessage(error), 0))));
  }

  private Behavior<Command> onVerified(Verified msg) {
    SnapshotRecord record = snapshots.get(msg.record().id());
    verifier.done(msg.record(), msg.verification());
    // one that was moved or discarded meanwhile was checked where it no longer is
    if (msg.verification().problem() != null && record != null && record.directory().equals(msg.record().directory())) {
      quarantine(record, QUARANTINED_BY_VERIFICATION, msg.verification().problem());
    }
    verifyNext();
    return this;
  }

  /** The snapshot's files no longer match its record: no start may restore it again. */
  private void quarantine(SnapshotRecord record, String foundBy, String reason) {
    log.warn("event=snapshot-quarantined snapshot={} function={} tier={} found_by={} reason=\"{}\"", record.id(),
        record.function(), record.tier(), foundBy, reason);
    quarantined(foundBy).increment();
    discard(record);
    publish();
  }

  private Counter quarantined(String foundBy) {
    return Counter.builder("faascell.snapshots.quarantined").tag("reason", foundBy)
        .description("snapshots whose files no longer matched their recorded digests, by what found it")
        .register(metrics);
  }

  // ---- removal -------------------------------------------------------------------------------

  private Behavior<Command> onFunctionChanged(FunctionChanged msg) {
    changed.put(msg.function(), msg.currentVersion());
    boolean any = false;
    for (SnapshotRecord record : List.copyOf(snapshots.values())) {
      boolean stale = record.function().equals(msg.function())
          && !msg.currentVersion().map(record.functionVersion()::equals).orElse(false);
      if (stale) {
        log.info("event=snapshot-invalidated snapshot={} function={} reason=\"function {}\"", record.id(),
            record.function(), msg.currentVersion().isPresent() ? "redeployed" : "deleted");
        discard(record);
        any = true;
      }
    }
    if (any) {
      publish();
    }
    return this;
  }

  private Behavior<Command> onDelete(Delete msg) {
    SnapshotRecord record = snapshots.get(msg.snapshotId());
    if (record != null) {
      log.info("event=snapshot-deleted snapshot={} function={} reason=\"requested\"", record.id(), record.function());
      discard(record);
      publish();
    }
    msg.replyTo().tell(record != null);
    return this;
  }

  private void discard(SnapshotRecord record) {
    snapshots.remove(record.id());
    storage.forget(record.id());
    storage.deleteFiles(record.directory());
  }

  // ---- placement -----------------------------------------------------------------------------

  private void rebalance() {
    List<SnapshotUsage> usages = snapshots.values().stream().filter(r -> !moving.contains(r.id())).map(this::usage).toList();
    for (PlacementAction action : placement.rebalance(tierStates(), usages)) {
      SnapshotRecord record = snapshots.get(action.snapshotId());
      if (record == null || moving.contains(record.id())) {
        continue;
      }
      if (action instanceof PlacementAction.Move move) {
        move(record, move.toTier(), move.reason());
      } else if (action instanceof PlacementAction.Evict evict) {
        log.info("event=snapshot-evicted snapshot={} function={} tier={} policy={} reason=\"{}\"", record.id(),
            record.function(), record.tier(), placement.name(), evict.reason());
        discard(record);
      }
    }
    publish();
  }

  private void move(SnapshotRecord record, String toTier, String reason) {
    SnapshotRecord copied = record.movedTo(toTier, tier(toTier).path().resolve(record.id()));
    moving.add(record.id());
    log.info("event=snapshot-move snapshot={} from={} to={} policy={} reason=\"{}\"", record.id(), record.tier(), toTier,
        placement.name(), reason);
    getContext().pipeToSelf(storage.copy(record, copied), (ok, error) -> error == null
        ? new Moved(record.id(), toTier, copied.directory(), record.directory())
        : new MoveFailed(record.id(), Failures.rootMessage(error)));
  }

  private Behavior<Command> onMoved(Moved msg) {
    moving.remove(msg.snapshotId());
    SnapshotRecord record = snapshots.get(msg.snapshotId());
    if (record == null) {
      storage.deleteFiles(msg.directory());   // discarded while it moved
    } else {
      SnapshotRecord moved = record.movedTo(msg.tier(), msg.directory());
      snapshots.put(moved.id(), moved);
      storage.save(moved);
    }
    timers.startSingleTimer("delete-" + msg.oldDirectory(), new DeleteFiles(msg.oldDirectory()), OLD_FILES_GRACE);
    rebalance();
    return this;
  }

  private Behavior<Command> onMoveFailed(MoveFailed msg) {
    moving.remove(msg.snapshotId());
    log.warn("event=snapshot-move-failed snapshot={} reason=\"{}\"", msg.snapshotId(), msg.reason());
    SnapshotRecord record = snapshots.get(msg.snapshotId());
    // a tier that cannot take it leaves the snapshot where it is; if that tier is over capacity, evict
    if (record != null && usedBytes(record.tier()) > tier(record.tier()).capacityBytes()) {
      discard(record);
      publish();
    }
    return this;
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Tells the pool the best snapshot of every function version: in the fastest tier, then the newest. */
  private void publish() {
    tierGauges.forEach((tier, gauges) -> {
      gauges[0].set(snapshots.values().stream().filter(r -> r.tier().equals(tier)).count());
      gauges[1].set(usedBytes(tier));
    });
    if (pool == null) {
      return;
    }
    Map<String, SnapshotRecord> best = new HashMap<>();
    Comparator<SnapshotRecord> better = Comparator.<SnapshotRecord>comparingInt(r -> tier(r.tier()).rank()).reversed()
        .thenComparing(SnapshotRecord::createdAt);
    for (SnapshotRecord record : snapshots.values()) {
      best.merge(record.functionKey(), record, (a, b) -> better.compare(a, b) >= 0 ? a : b);
    }
    pool.tell(new Published(best));
  }

  private List<TierState> tierStates() {
    List<TierState> states = new ArrayList<>();
    for (Tier tier : tiers) {
      states.add(new TierState(tier.name(), tier.rank(), tier.capacityBytes(), usedBytes(tier.name())));
    }
    return states;
  }

  private long usedBytes(String tierName) {
    return snapshots.values().stream().filter(r -> r.tier().equals(tierName)).mapToLong(SnapshotRecord::bytes).sum();
  }

  private Tier tier(String name) {
    return tiers.stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("placement chose unknown tier " + name));
  }

  private SnapshotUsage usage(SnapshotRecord r) {
    return new SnapshotUsage(r.id(), r.function().value(), r.tier(), r.bytes(), r.createdAt().toEpochMilli(),
        r.lastRestoredAt().toEpochMilli(), r.restoreCount());
  }

  /** Why a measured snapshot was not adopted: it could not be moved to its tier, or not recorded. */
  private static String adoptionFailure(Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    return cause instanceof SnapshotStorage.NotRecorded notRecorded ? notRecorded.getMessage()
        : "cannot store the snapshot: " + Failures.rootMessage(error);
  }
}
