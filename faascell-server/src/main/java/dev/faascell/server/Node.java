package dev.faascell.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.cluster.ClusterLink;
import dev.faascell.cluster.ClusterNode;
import dev.faascell.cluster.KafkaSettings;
import dev.faascell.config.FaascellConfig;
import dev.faascell.config.HostMemory;
import dev.faascell.config.NodeCapacity;
import dev.faascell.dispatcher.Dispatcher;
import dev.faascell.guest.image.BuildProgress;
import dev.faascell.guest.image.GuestImage;
import dev.faascell.guest.image.ImageBuilder;
import dev.faascell.guest.image.ImageConfig;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.node.NodeApi;
import dev.faascell.openwhisk.OpenWhiskInvoker;
import dev.faascell.registry.FunctionRegistry;
import dev.faascell.sink.InflightJournal;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.snapshot.SnapshotReconciler;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.snapshot.Tier;
import dev.faascell.source.http.HttpApi;
import dev.faascell.source.lambda.LambdaApi;
import dev.faascell.store.NodeStore;
import dev.faascell.util.FileTrees;
import dev.faascell.vmm.Accelerator;
import dev.faascell.vmm.Vmm;
import dev.faascell.vmm.cgroups.CgroupFs;
import dev.faascell.vmm.cgroups.CgroupSettings;
import dev.faascell.vmm.qemu.QemuConfig;
import dev.faascell.vmm.VmmException;
import dev.faascell.vmm.qemu.QemuMicrovm;
import dev.faascell.network.NetworkManager;
import dev.faascell.network.NetworkSettings;
import dev.faascell.model.AllowRule;
import io.micrometer.core.instrument.Gauge;
import dev.faascell.vmpool.PoolStatus;
import dev.faascell.vmpool.VmPool;
import dev.faascell.vmpool.VmState;
import dev.faascell.worker.WorkerContext;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FaaSCell node, assembled: the guest image, the VMM driver, the store and function registry,
 * the actors, and the HTTP Source. {@link #close()} stops them in order and leaves no VM behind.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  /** Far down the OOM killer's list, not off it: a daemon that leaks should still not take the host. */
  private static final int DAEMON_OOM_SCORE_ADJ = -900;

  /** After the drain, how long the HTTP server waits for the responses still being written. */
  private static final Duration RESPONSES_DEADLINE = Duration.ofSeconds(5);

  private final RunDirLock lock;
  private final NodeStore store;
  private final Vmm vmm;
  private final ExecutorService io;
  private final NodeApi api;
  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final FunctionRegistry registry;
  private final GuestImage image;
  /** The node's Kafka parts (cluster member or OpenWhisk invoker), if faascell.kafka.bootstrap is set. */
  private final Optional<AutoCloseable> kafka;
  /** How long {@link #close()} waits for the invocations in flight (faascell.api.shutdown-grace). */
  private final Duration shutdownGrace;

  private Node(RunDirLock lock, NodeStore store, Vmm vmm, ExecutorService io, NodeApi api, ActorSystem<Void> system,
               ServerBinding binding, FunctionRegistry registry, GuestImage image, Optional<AutoCloseable> kafka,
               Duration shutdownGrace) {
    this.lock = lock;
    this.store = store;
    this.vmm = vmm;
    this.io = io;
    this.api = api;
    this.system = system;
    this.binding = binding;
    this.registry = registry;
    this.image = image;
    this.kafka = kafka;
    this.shutdownGrace = shutdownGrace;
  }

  /**
   * Starts the node the daemon runs: the guest image (built if needed) and QEMU microVMs. The daemon
   * makes itself the OOM killer's last choice on the host (its VMs are the first).
   */
  public static Node start(FaascellConfig config, BuildProgress progress) throws NodeStartException {
    protectFromOomKiller();
    GuestImage image;
    QemuMicrovm vmm;
    NetworkManager network;
    try {
      image = new ImageBuilder(imageConfig(config), progress).ensure();
      network = new NetworkManager(networkSettings(config));
      vmm = qemuMicrovm(config, Optional.of(network));
      log.info("event=vm-limits cgroups=\"{}\"", vmm.cgroupsDescription());
    } catch (Exception e) {
      throw new NodeStartException("the node could not start: " + e.getMessage(), e);
    }
    return start(config, config.capacity(vmm.accelerator() == Accelerator.KVM), vmm, image, vmm::reapStale,
        Optional.of(network));
  }

  /**
   * The QEMU driver as the node configures it: its QEMU settings and its VMs' cgroup limits (benchmarks
   * run their raw baselines on the same, so that only FaaSCell's own work differs).
   */
  public static QemuMicrovm qemuMicrovm(FaascellConfig config) throws VmmException, IOException {
    return qemuMicrovm(config, Optional.empty());
  }

  private static QemuMicrovm qemuMicrovm(FaascellConfig config, Optional<NetworkManager> network)
      throws VmmException, IOException {
    CgroupSettings limits = cgroupSettings(config);
    return new QemuMicrovm(qemuConfig(config), CgroupFs.detect(Path.of("/sys/fs/cgroup"), limits), limits, network);
  }

  /** Starts a node over any VMM driver (tests use an in-memory one). */
  public static Node start(FaascellConfig config, Vmm vmm, GuestImage image) throws NodeStartException {
    return start(config, config.capacity(false), vmm, image, () -> { }, Optional.empty());
  }

  private static Node start(FaascellConfig config, NodeCapacity capacity, Vmm vmm, GuestImage image, Runnable onceLocked,
                            Optional<NetworkManager> network) throws NodeStartException {
    RunDirLock lock = null;
    NodeStore store = null;
    ExecutorService io = null;
    NodeApi nodeApi = null;
    ActorSystem<Void> system = null;
    AutoCloseable kafkaParts = null;
    try {
      if (config.api().exposed() && config.api().token().isEmpty()) {
        throw new IllegalArgumentException("faascell.api.host " + config.api().host()
            + " is reachable from other hosts: set faascell.api.token (or FAASCELL_API_TOKEN) to a secret");
      }
      lock = RunDirLock.acquire(config.runDir());
      onceLocked.run();
      store = NodeStore.open(config.stateDir().resolve("faascell.db"));
      FunctionRegistry registry = new FunctionRegistry(store, config.functionLimits(), Clock.systemUTC());
      List<Tier> tiers = tiers(config);
      Path ramDir = config.shmDir().resolve("vms");
      Path staging = SnapshotManager.stagingDirectory(tiers);
      FileTrees.delete(ramDir);   // RAM files of an earlier daemon's VMs, which are all gone by now
      // guest memory lives below these: directories the node makes are its own (existing ones are kept as they are)
      Files.createDirectories(ramDir, PRIVATE);
      for (Tier tier : tiers) {
        Files.createDirectories(tier.path(), PRIVATE);
      }
      String platform = image.id() + " " + vmm.describe();
      List<SnapshotRecord> snapshots = SnapshotReconciler.reconcile(store.snapshotCatalog(), tiers, platform,
          name -> registry.get(name).map(f -> f.spec().version()));
      Files.createDirectories(staging);
      PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      network.ifPresent(manager -> {
        Gauge.builder("faascell.network.namespaces", manager, NetworkManager::inUse).tag("state", "in-use")
            .description("network namespaces of running VMs (functions with network egress)").register(metrics);
        Gauge.builder("faascell.network.namespaces", manager, NetworkManager::spare).tag("state", "spare")
            .description("network namespaces set up and waiting for a VM").register(metrics);
      });
      io = Executors.newCachedThreadPool(daemonThreads("faascell-vm-io"));
      ExecutorService vmIo = io;
      CompletableFuture<NodeGuardian.Refs> refs = new CompletableFuture<>();
      var snapshotSetup = new NodeGuardian.SnapshotSetup(tiers, store.snapshotCatalog(), platform, snapshots);
      Duration restoreTimeout = config.snapshots().restoreTimeout();
      boolean measureHost = config.perf().getBoolean("enabled");
      var journal = InflightJournal.open(config.stateDir().resolve("inflight.journal"));
      log.info("event=node-capacity memory_mb={} reserve_mb={} start_slots={} max_vms={} vcpus={}", capacity.memoryMb(),
          capacity.reserveMb(), capacity.startSlots(), capacity.maxVms(), capacity.vcpus());
      system = ActorSystem.create(NodeGuardian.create(config, capacity, metrics, new NodeGuardian.SinkSetup(journal),
          snapshotSetup,
          parts -> new WorkerContext(vmm, image, config.worker(), restoreTimeout, config.snapshots().resume(), vmIo,
              parts.sink(), parts.snapshots(),
              ramDir, staging, System::nanoTime, measureHost, parts.perf(), metrics), refs), "faascell", config.raw());
      NodeGuardian.Refs actors = refs.get(30, TimeUnit.SECONDS);
      registry.listen(new RegistryToActors(actors));
      if (config.deploySamples()) {
        for (FunctionSpec sample : SampleFunctions.all(config.functionLimits())) {
          if (registry.get(sample.name()).isEmpty()) {
            registry.deploy(sample);
          }
        }
      }
      var api = config.api();
      var dispatcher = config.dispatcher();
      var worker = config.worker();
      Duration invocationTimeout = dispatcher.queueTimeout().plus(worker.bootTimeout()).plus(worker.initTimeout())
          .plus(config.functionLimits().maxTimeout()).plus(Duration.ofMinutes(1));
      nodeApi = new NodeApi(registry, new NodeApi.Actors(actors.dispatcher(), actors.pool(), actors.snapshots(),
          actors.sink(), actors.perf(), system.scheduler()), metrics,
          new NodeApi.Settings(invocationTimeout, dispatcher.retryAfter(), vmm.describe(), image.id()));
      NodeApi node = nodeApi;   // final, for the lambdas below
      Optional<KafkaSettings> kafkaSettings = KafkaSettings.from(config.kafka(), api.port());
      Optional<ClusterLink> cluster = Optional.empty();
      if (kafkaSettings.isPresent()) {
        KafkaSettings settings = kafkaSettings.get();
        if (settings.openWhisk().isPresent()) {
          kafkaParts = OpenWhiskInvoker.start(settings, settings.openWhisk().get(), node,
              Math.toIntExact(capacity.memoryMb()));
        } else {
          ClusterNode member = ClusterNode.join(settings, new ClusterNode.NodeParts(registry, node,
              () -> load(node), api.maxCodeBytes(), api.maxPayloadBytes(), invocationTimeout));
          kafkaParts = member;
          cluster = Optional.of(member);
        }
      }
      HttpApi http = new HttpApi(node, new HttpApi.Limits(api.maxPayloadBytes(), api.maxCodeBytes(), api.token()),
          cluster);
      var lambda = config.lambda();
      LambdaApi lambdaApi = new LambdaApi(node, new LambdaApi.Settings(lambda.getString("region"),
          lambda.getString("access-key-id"), lambda.getString("secret-access-key"), !api.token().isEmpty(),
          api.maxPayloadBytes(), api.maxCodeBytes()));
      ServerBinding binding = Http.get(system).newServerAt(api.host(), api.port())
          .bind(lambdaApi.routes().orElse(http.routes()))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      log.info("event=node-started url=http://{}:{} vmm=\"{}\" image={} functions={} snapshots={}", api.host(),
          binding.localAddress().getPort(), vmm.describe(), image.id(), registry.list().size(), snapshots.size());
      return new Node(lock, store, vmm, io, nodeApi, system, binding, registry, image, Optional.ofNullable(kafkaParts),
          api.shutdownGrace());
    } catch (Exception e) {
      closeQuietly(kafkaParts);
      closeQuietly(nodeApi);
      if (system != null) {
        system.terminate();
      }
      if (io != null) {
        io.shutdownNow();
      }
      if (store != null) {
        store.close();
      }
      closeQuietly(lock);
      throw new NodeStartException("the node could not start: " + e.getMessage(), e);
    }
  }

  /** Best effort: without the right to lower its score, the daemon stays as the kernel rates it. */
  private static void protectFromOomKiller() {
    try {
      Files.writeString(Path.of("/proc/self/oom_score_adj"), Integer.toString(DAEMON_OOM_SCORE_ADJ));
    } catch (java.io.IOException e) {
      log.warn("event=oom-protection-off reason=\"{}\"", e.getMessage());
    }
  }

  /** The node's capacity and load, as its cluster heartbeat carries it. */
  private static CompletionStage<ObjectNode> load(NodeApi node) {
    return node.load().thenApply(load -> heartbeat(load.pool(), load.queue()));
  }

  private static ObjectNode heartbeat(PoolStatus p, Dispatcher.QueueStatus q) {
    return new ObjectMapper().createObjectNode()
        .put("vms", p.vms().size())
        .put("busyVms", p.vms().stream().filter(vm -> vm.state() == VmState.BUSY).count())
        .put("memoryCapacityMb", p.memoryCapacityMb()).put("memoryAccountedMb", p.memoryAccountedMb())
        .put("startSlots", p.startSlots()).put("startsWaiting", p.startsWaiting()).put("vcpusHeld", p.vcpusHeld())
        .put("queueLength", q.length()).put("queueCapacity", q.capacity());
  }

  public static ImageConfig imageConfig(FaascellConfig config) {
    var c = config.image();
    String deb = c.getString("kernel-deb");
    return new ImageConfig(Path.of(c.getString("cache-dir")), c.getString("kernel-package"),
        deb.isBlank() ? Optional.empty() : Optional.of(Path.of(deb)), Path.of(c.getString("python")),
        Path.of(c.getString("node")), Path.of(c.getString("busybox")), c.getString("cc"));
  }

  public static QemuConfig qemuConfig(FaascellConfig config) {
    var c = config.vmm();
    if (!c.getString("driver").equals("qemu-microvm")) {
      throw new IllegalArgumentException("unknown faascell.vmm.driver '" + c.getString("driver") + "'; known: qemu-microvm");
    }
    return new QemuConfig(c.getString("qemu-binary"), Accelerator.choose(c.getString("accelerator"), Path.of("/")),
        config.runDir(), c.getString("kernel-args"), c.getBoolean("sandbox"), c.getInt("tcg-tb-size-mb"),
        c.getInt("jail.first-uid"), c.getInt("jail.uids"), Path.of(c.getString("jail.lease-dir")),
        config.raw().getDuration("faascell.snapshots.prestart-refill-delay"));
  }

  public static NetworkSettings networkSettings(FaascellConfig config) {
    var c = config.network();
    String prefix = c.getString("name-prefix");
    return new NetworkSettings(AllowRule.parse(c.getString("address-range")),
        prefix.isEmpty() ? NetworkSettings.prefixFor(config.runDir()) : prefix, c.getInt("bandwidth-mbit"),
        c.getInt("spare-namespaces"), c.getBoolean("host-forwarding"));
  }

  static CgroupSettings cgroupSettings(FaascellConfig config) {
    var c = config.cgroups();
    NodeCapacity capacity = config.capacity(false);
    long nodeMemoryBytes = config.nodeMemoryCgroup() ? (HostMemory.totalMb() - capacity.reserveMb()) << 20 : 0;
    return new CgroupSettings(c.getString("enabled"), c.getString("parent"), c.getDouble("cpu-quota-per-vcpu"),
        c.getDuration("cpu-period"), capacity.vmOverheadMb(), c.getInt("memory-headroom-mb"), c.getString("pinning"),
        nodeMemoryBytes);
  }

  /** The snapshot tiers, fastest first, as configured. */
  static List<Tier> tiers(FaascellConfig config) {
    List<Tier> tiers = new ArrayList<>();
    var settings = config.snapshots().tiers();
    for (int rank = 0; rank < settings.size(); rank++) {
      var tier = settings.get(rank);
      tiers.add(new Tier(tier.name(), rank, tier.path(), tier.capacityBytes()));
    }
    return tiers;
  }

  /** Tells the actors about deploys and deletes: old VMs retire, old snapshots go. */
  private record RegistryToActors(NodeGuardian.Refs actors) implements FunctionRegistry.Listener {
    @Override
    public void deployed(FunctionSpec function) {
      actors.pool().tell(new VmPool.RetireFunction(function.name(), Optional.of(function.version())));
      actors.snapshots().tell(new SnapshotManager.FunctionChanged(function.name(), Optional.of(function.version())));
    }

    @Override
    public void removed(FunctionName function) {
      actors.pool().tell(new VmPool.RetireFunction(function, Optional.empty()));
      actors.dispatcher().tell(new Dispatcher.FunctionRemoved(function));
      actors.snapshots().tell(new SnapshotManager.FunctionChanged(function, Optional.empty()));
    }
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public String url() {
    return "http://" + binding.localAddress().getHostString() + ":" + port();
  }

  public FunctionRegistry registry() {
    return registry;
  }

  public GuestImage image() {
    return image;
  }

  /**
   * Drains, then stops: the Kafka parts hand over, no Source admits any more invocations (they get 503
   * shutting-down, the API still answering), the ones in flight get up to the shutdown grace to end, and
   * then every VM is stopped.
   */
  @Override
  public void close() {
    log.info("event=node-stopping grace_ms={}", shutdownGrace.toMillis());
    // first: the Kafka parts stop fetching, answer what they run and hand their partitions to other nodes,
    // which is better for those requests than a refusal here
    kafka.ifPresent(Node::closeQuietly);
    if (api.drain(shutdownGrace)) {
      log.info("event=node-drained");
    } else {
      log.warn("event=drain-incomplete grace_ms={} detail=\"invocations still running are ended with their VMs\"",
          shutdownGrace.toMillis());
    }
    try {
      // the replies of the invocations that just ended are still being written: let them go out
      binding.terminate(RESPONSES_DEADLINE).toCompletableFuture()
          .get(RESPONSES_DEADLINE.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("event=unbind-failed reason=\"{}\"", e.getMessage());
    }
    api.close();   // the deploys and deletes already asked for reach the store before it closes
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("event=actor-shutdown-slow reason=\"{}\"", e.getMessage());
    }
    vmm.killAll();
    io.shutdownNow();
    store.close();
    closeQuietly(lock);
    log.info("event=node-stopped");
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception ignored) {
      // shutting down
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
