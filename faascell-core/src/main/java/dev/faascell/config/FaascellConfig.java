package dev.faascell.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The node's configuration: reference.conf's documented defaults, under the daemon's embedded
 * faascell-defaults.conf (library settings), under a user file, under JVM properties, under
 * CONFIG_FORCE_ environment variables. Typed views of each section are below; the
 * full {@link #raw()} config also configures Pekko.
 */
public final class FaascellConfig {
  private final Config config;

  private FaascellConfig(Config config) {
    this.config = config;
  }

  /** Loads the layered configuration; {@code userFile} may be empty. */
  public static FaascellConfig load(Optional<Path> userFile) {
    return load(userFile, ConfigFactory.empty());
  }

  /** Loads the layered configuration with command-line {@code flags} over the user's file. */
  public static FaascellConfig load(Optional<Path> userFile, Config flags) {
    Config user = ConfigFactory.empty();
    if (userFile.isPresent()) {
      if (!Files.isReadable(userFile.get())) {
        throw new ConfigException.Generic("config file " + userFile.get() + " is not readable");
      }
      user = ConfigFactory.parseFile(userFile.get().toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    }
    return from(flags.withFallback(user));
  }

  /** The defaults under {@code overrides} (for tests and embedding). */
  public static FaascellConfig from(Config overrides) {
    ClassLoader loader = FaascellConfig.class.getClassLoader();
    // parse unresolved so that a user's state-dir also moves the paths derived from it
    Config merged = ConfigFactory.systemEnvironmentOverrides()
        .withFallback(ConfigFactory.systemProperties())
        .withFallback(overrides)
        .withFallback(ConfigFactory.parseResources(loader, "faascell-defaults.conf"))
        .withFallback(ConfigFactory.parseResources(loader, "reference.conf"))
        .resolve();
    merged.checkValid(ConfigFactory.defaultReference(loader), "faascell");
    FaascellConfig config = new FaascellConfig(merged);
    config.readEverySection();
    return config;
  }

  /** Fails at load time, naming the key, rather than when a section is first used. */
  private void readEverySection() {
    api();
    worker();
    capacity(false);
    dispatcher();
    keepAliveCheckInterval();
    functionLimits();
    snapshots();
  }

  public Config raw() {
    return config;
  }

  private Config section(String name) {
    return config.getConfig("faascell." + name);
  }

  public Path stateDir() {
    return Path.of(config.getString("faascell.state-dir"));
  }

  public Path runDir() {
    return Path.of(config.getString("faascell.run-dir"));
  }

  public Path shmDir() {
    return Path.of(config.getString("faascell.shm-dir"));
  }

  public Config trace() {
    return section("trace");
  }

  public Config perf() {
    return section("perf");
  }

  public Config cgroups() {
    return section("cgroups");
  }

  public SnapshotSettings snapshots() {
    Config c = section("snapshots");
    java.util.List<TierSettings> tiers = new java.util.ArrayList<>();
    for (Config tier : c.getConfigList("tiers")) {
      tiers.add(new TierSettings(tier.getString("name"), Path.of(tier.getString("path")), tier.getBytes("capacity")));
    }
    if (tiers.isEmpty()) {
      throw new ConfigException.BadValue("faascell.snapshots.tiers", "needs at least one tier");
    }
    return new SnapshotSettings(c.getString("format"), tiers, c.getDuration("restore-timeout"),
        c.getInt("restore-retries"), c.getInt("prestarted-per-snapshot"), c.getInt("prestart-memory-mb"),
        new ResumeSettings(resumeWithFirstRun(c.getString("resume")), c.getBoolean("reseed")),
        new SnapshotVerification(c.getBoolean("verify"), c.getDuration("verify-interval"),
            c.getBytes("verify-bytes-per-second")));
  }

  public boolean deploySamples() {
    return section("samples").getBoolean("deploy");
  }

  public ApiSettings api() {
    Config c = section("api");
    return new ApiSettings(c.getString("host"), c.getInt("port"), bytes(c, "max-payload-bytes"), bytes(c, "max-code-bytes"),
        c.getString("token"), c.getDuration("shutdown-grace"));
  }

  /** faascell.lambda: the Lambda-compatible API's region and signing key. */
  public Config lambda() {
    return section("lambda");
  }

  /** faascell.kafka: the cluster and OpenWhisk settings, read by the server's Kafka parts. */
  public Config kafka() {
    return section("kafka");
  }

  public Config image() {
    return section("image");
  }

  /** faascell.network: the NetworkManager's settings (read into its own type by the VMM module). */
  public Config network() {
    return section("network");
  }

  public Config vmm() {
    return section("vmm");
  }

  public WorkerSettings worker() {
    Config vmm = section("vmm");
    return new WorkerSettings(vmm.getDuration("boot-timeout"), vmm.getDuration("init-timeout"),
        vmm.getDuration("stop-grace"), bytes(section("guest"), "max-frame-bytes"));
  }

  /**
   * The node's capacity with its automatic values resolved for this host.
   *
   * @param hardwareVirtualization whether guests run under KVM (a start then costs little CPU, so more
   *                               of them may run at once than under TCG, where each needs a core)
   */
  public NodeCapacity capacity(boolean hardwareVirtualization) {
    Config c = section("node");
    int cores = Runtime.getRuntime().availableProcessors();
    long totalMb = HostMemory.totalMb();
    long reserveMb = c.getLong("memory-reserve-mb");
    if (reserveMb == 0) {
      reserveMb = Math.max(1024, totalMb / 10);
    }
    long memoryMb = c.getLong("memory-mb");
    if (memoryMb == 0) {
      memoryMb = Math.max(1, (long) ((totalMb - reserveMb) * c.getDouble("memory-overcommit")));
    }
    int slots = c.getInt("start-slots");
    if (slots == 0) {
      slots = hardwareVirtualization ? 2 * cores : cores;
    }
    return new NodeCapacity(orUnlimited(c.getInt("max-vms")), memoryMb, reserveMb, c.getInt("vm-overhead-mb"),
        c.getInt("restore-estimate-mb"), orUnlimited(c.getInt("vcpus")), slots);
  }

  private static int orUnlimited(int value) {
    return value == 0 ? Integer.MAX_VALUE : value;
  }

  public DispatcherSettings dispatcher() {
    Config c = section("dispatcher");
    return new DispatcherSettings(c.getInt("queue-capacity"), c.getDuration("queue-timeout"), c.getDuration("retry-after"),
        c.getInt("max-concurrency-per-function"));
  }

  /** Whether all VMs live in one memory-limited node cgroup (faascell.node.memory-cgroup). */
  public boolean nodeMemoryCgroup() {
    return section("node").getBoolean("memory-cgroup");
  }

  /** How often the pool asks its keep-alive policy what has expired (faascell.keep-alive.check-interval). */
  public Duration keepAliveCheckInterval() {
    return section("keep-alive").getDuration("check-interval");
  }

  public FunctionLimits functionLimits() {
    Config c = section("functions");
    return new FunctionLimits(c.getInt("default-memory-mb"), c.getInt("min-memory-mb"), c.getInt("max-memory-mb"),
        c.getInt("default-vcpus"), c.getInt("max-vcpus"), c.getDuration("default-timeout"), c.getDuration("max-timeout"));
  }

  private static int bytes(Config c, String key) {
    long value = c.getBytes(key);
    if (value > Integer.MAX_VALUE) {
      throw new ConfigException.BadValue(key, "must be below 2 GiB");
    }
    return (int) value;
  }

  /** faascell.api */
  public record ApiSettings(String host, int port, int maxPayloadBytes, int maxCodeBytes, String token,
                            Duration shutdownGrace) {
    /** Whether the API is reachable from other hosts (then it must require a token). */
    public boolean exposed() {
      try {
        return !java.net.InetAddress.getByName(host).isLoopbackAddress();
      } catch (java.net.UnknownHostException e) {
        return true;
      }
    }
  }

  /** faascell.vmm timeouts and faascell.guest limits, as the Worker needs them. */
  public record WorkerSettings(Duration bootTimeout, Duration initTimeout, Duration stopGrace, int maxGuestFrameBytes) {}

  /** faascell.dispatcher, its queue policy aside (dev.faascell.policy.PolicyRegistry.QUEUE) */
  public record DispatcherSettings(int queueCapacity, Duration queueTimeout, Duration retryAfter,
                                   int maxConcurrencyPerFunction) {}

  /** faascell.snapshots, its policies aside (dev.faascell.policy.PolicyRegistry.SNAPSHOT and PLACEMENT) */
  public record SnapshotSettings(String format, java.util.List<TierSettings> tiers, Duration restoreTimeout,
                                 int restoreRetries, int prestartedPerSnapshot, int prestartMemoryMb,
                                 ResumeSettings resume, SnapshotVerification verification) {}

  /**
   * faascell.snapshots.resume and .reseed: how a restored guest is brought up to date before it serves.
   *
   * @param withFirstRun the wall clock and the entropy travel with the first RUN, in one exchange (else as
   *                     SET_CLOCK and RESEED exchanges before it, as soon as the VM is restored)
   * @param reseed       send fresh entropy at all (off, clones repeat the snapshot's randomness: diagnostic only)
   */
  public record ResumeSettings(boolean withFirstRun, boolean reseed) {}

  private static boolean resumeWithFirstRun(String mode) {
    return switch (mode) {
      case "with-first-run" -> true;
      case "separate-exchanges" -> false;
      default -> throw new ConfigException.BadValue("faascell.snapshots.resume",
          "is with-first-run or separate-exchanges, not " + mode);
    };
  }

  /**
   * faascell.snapshots.verify*: the background re-hash of the fastest tier's snapshots.
   *
   * @param interval       how often a round (every fastest-tier snapshot, one at a time) starts; one still
   *                       under way is finished first
   * @param bytesPerSecond the most a round reads per second, so that it never competes with invocations for the disk
   */
  public record SnapshotVerification(boolean enabled, Duration interval, long bytesPerSecond) {
    public SnapshotVerification {
      if (enabled && (interval.isNegative() || interval.isZero() || bytesPerSecond <= 0)) {
        throw new ConfigException.BadValue("faascell.snapshots.verify-interval",
            "the interval and verify-bytes-per-second must be positive");
      }
    }

    public static SnapshotVerification off() {
      return new SnapshotVerification(false, Duration.ofMinutes(5), Long.MAX_VALUE);
    }
  }

  /** One storage tier of faascell.snapshots.tiers, fastest first. */
  public record TierSettings(String name, Path path, long capacityBytes) {}
}
