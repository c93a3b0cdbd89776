package dev.faascell.testing;

import dev.faascell.config.FaascellConfig.DispatcherSettings;
import dev.faascell.config.FaascellConfig.ResumeSettings;
import dev.faascell.config.FaascellConfig.SnapshotVerification;
import dev.faascell.config.FaascellConfig.WorkerSettings;
import dev.faascell.config.NodeCapacity;
import dev.faascell.dispatcher.Dispatcher;
import dev.faascell.invocation.Job;
import dev.faascell.guest.image.GuestImage;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.Invocation;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.RuntimeKind;
import dev.faascell.policy.admission.QueuePolicy;
import dev.faascell.policy.keepalive.KeepAlivePolicy;
import dev.faascell.policy.scaling.AlwaysStart;
import dev.faascell.policy.scaling.ScalingPolicy;
import dev.faascell.policy.keepalive.TtlKeepAlive;
import dev.faascell.policy.selection.VmSelectionPolicy;
import dev.faascell.policy.placement.RecencyPlacement;
import dev.faascell.policy.snapshot.SnapshotPolicy;
import dev.faascell.perf.PerfManager;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.snapshot.Tier;
import dev.faascell.vmm.SnapshotFormat;
import java.util.List;
import dev.faascell.sink.InflightJournal;
import dev.faascell.sink.Sink;
import dev.faascell.vmm.fake.FakeVmm;
import dev.faascell.vmpool.PoolStatus;
import dev.faascell.vmpool.VmPool;
import dev.faascell.worker.WorkerContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The Dispatcher, VmPool, Workers and Sink wired as in the daemon, over the in-memory {@link FakeVmm}:
 * the whole actor path of an invocation, in milliseconds, without QEMU.
 */
public final class ActorNode implements AutoCloseable {
  public final ActorTestKit kit;
  public final FakeVmm vmm;
  public final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  public final ActorRef<VmPool.Command> pool;
  public final ActorRef<Dispatcher.Command> dispatcher;
  public final ActorRef<SnapshotManager.Command> snapshots;
  public final ActorRef<PerfManager.Command> perf;
  public final ActorRef<Sink.Command> sink;
  public final InMemoryCatalog catalog = new InMemoryCatalog();
  public final List<Tier> tiers;
  private final ExecutorService io = Executors.newCachedThreadPool();
  private final Path runDir;
  private final AtomicLong ids = new AtomicLong();
  private final LongSupplier nanoClock;

  public ActorNode(NodeCapacity capacity, DispatcherSettings dispatcherSettings, Duration ttl) throws IOException {
    this(capacity, dispatcherSettings, new TtlKeepAlive(ttl), SnapshotPolicy.never(), 1L << 30);
  }

  public ActorNode(NodeCapacity capacity, DispatcherSettings dispatcherSettings, Duration ttl, SnapshotPolicy snapshotPolicy,
                   long ramTierBytes) throws IOException {
    this(capacity, dispatcherSettings, new TtlKeepAlive(ttl), snapshotPolicy, ramTierBytes);
  }

  public ActorNode(NodeCapacity capacity, DispatcherSettings dispatcherSettings, KeepAlivePolicy keepAlive,
                   SnapshotPolicy snapshotPolicy, long ramTierBytes) throws IOException {
    this(capacity, dispatcherSettings, keepAlive, new AlwaysStart(), snapshotPolicy, ramTierBytes);
  }

  public ActorNode(NodeCapacity capacity, DispatcherSettings dispatcherSettings, KeepAlivePolicy keepAlive,
                   ScalingPolicy scaling, SnapshotPolicy snapshotPolicy, long ramTierBytes) throws IOException {
    this(capacity, dispatcherSettings, keepAlive, scaling, snapshotPolicy, ramTierBytes, System::nanoTime);
  }

  /**
   * @param ramTierBytes the capacity of the fast snapshot tier (a slow one of 1 GiB sits below it)
   * @param nanoClock the clock every actor stamps and compares times with (a {@link ManualNanoClock}
   *     lets a test move time on without waiting); the actors' timers still run on real time
   */
  public ActorNode(NodeCapacity capacity, DispatcherSettings dispatcherSettings, KeepAlivePolicy keepAlive,
                   ScalingPolicy scaling, SnapshotPolicy snapshotPolicy, long ramTierBytes, LongSupplier nanoClock)
      throws IOException {
    this(capacity, dispatcherSettings, keepAlive, scaling, snapshotPolicy, ramTierBytes, nanoClock,
        SnapshotVerification.off());
  }

  /** @param verification the SnapshotManager's background re-hashing (off unless a test is about it) */
  public ActorNode(NodeCapacity capacity, DispatcherSettings dispatcherSettings, KeepAlivePolicy keepAlive,
                   ScalingPolicy scaling, SnapshotPolicy snapshotPolicy, long ramTierBytes, LongSupplier nanoClock,
                   SnapshotVerification verification) throws IOException {
    this.nanoClock = nanoClock;
    kit = ActorTestKit.create();
    runDir = Files.createTempDirectory(Path.of("/tmp"), "fc-actors-");
    vmm = new FakeVmm(runDir.resolve("run"), 20);
    Path none = runDir.resolve("none");
    GuestImage image = new GuestImage("test-image", runDir, none, none, none, "test");
    WorkerSettings workerSettings = new WorkerSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(200), 1 << 20);
    sink = kit.spawn(Sink.create(metrics, nanoClock,
        new Sink.TraceSettings(true, runDir.resolve("traces/invocations.jsonl"), 1 << 20, 2, 100),
        InflightJournal.open(runDir.resolve("traces/inflight.journal"))), "sink");
    perf = kit.spawn(PerfManager.create(Duration.ofMillis(200), metrics), "perf");
    tiers = List.of(new Tier("ram", 0, runDir.resolve("tier-ram"), ramTierBytes),
        new Tier("disk", 1, runDir.resolve("tier-disk"), 1L << 30));
    snapshots = kit.spawn(SnapshotManager.create(tiers, new RecencyPlacement(), catalog, "test-platform", List.of(),
        java.time.Clock.systemUTC(), verification, metrics), "snapshots");
    WorkerContext workers = new WorkerContext(vmm, image, workerSettings, Duration.ofSeconds(5), new ResumeSettings(true, true), io, sink, snapshots,
        runDir.resolve("ram"), SnapshotManager.stagingDirectory(tiers), nanoClock, true, perf, metrics);
    pool = kit.spawn(VmPool.create(capacity, new VmPool.Policies(keepAlive, Duration.ofMillis(50),
        VmSelectionPolicy.mostRecentlyUsed(true), scaling, snapshotPolicy, SnapshotFormat.SHARED_RAM, 0, 0, 1), workers), "pool");
    dispatcher = kit.spawn(Dispatcher.create(dispatcherSettings, QueuePolicy.fifo(), pool, sink, metrics, nanoClock),
        "dispatcher");
  }

  public static ActorNode standard() throws IOException {
    return new ActorNode(NodeCapacity.of(4, 4096, 100, 64), new DispatcherSettings(16, Duration.ofSeconds(10), Duration.ofSeconds(1), 0),
        Duration.ofMinutes(10));
  }

  /** A function whose fake guest behaves as {@code handler} says (see FakeGuest). */
  public static FunctionSpec function(String name, String handler) {
    return new FunctionSpec(FunctionName.of(name), RuntimeKind.EXEC, handler,
        CodeBundle.file("handler", new byte[] {1}), 128, 1, Duration.ofMillis(500), Map.of());
  }

  public TestProbe<InvocationResult> invoke(FunctionSpec function, String payload) {
    TestProbe<InvocationResult> probe = kit.createTestProbe();
    submit(function, payload, probe);
    return probe;
  }

  public void submit(FunctionSpec function, String payload, TestProbe<InvocationResult> probe) {
    Invocation invocation = Invocation.received("inv-" + ids.incrementAndGet(), function,
        payload.getBytes(StandardCharsets.UTF_8), nanoClock.getAsLong());
    dispatcher.tell(new Dispatcher.Submit(new Job(invocation, probe.getRef())));
  }

  public InvocationResult invokeAndWait(FunctionSpec function, String payload) {
    return invoke(function, payload).expectMessageClass(InvocationResult.class, Duration.ofSeconds(10));
  }

  public Path traceFile() {
    return runDir.resolve("traces/invocations.jsonl");
  }

  /** Waits until every VM the fake VMM started is gone. */
  public void awaitNoLiveVms() {
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
      org.assertj.core.api.Assertions.assertThat(vmm.liveVms()).isEmpty();
      return null;
    });
  }

  public PoolStatus status() {
    TestProbe<PoolStatus> probe = kit.createTestProbe();
    pool.tell(new VmPool.GetStatus(probe.getRef()));
    return probe.receiveMessage();
  }

  @Override
  public void close() throws IOException {
    kit.shutdownTestKit();
    vmm.killAll();
    io.shutdownNow();
    TempDirs.deleteTrees(runDir);
  }
}
