package dev.faascell.simulator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.faascell.config.FaascellConfig;
import dev.faascell.simulator.calibration.Calibration;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * What every simulation takes: the node's configuration (as {@code faascell serve} reads it, with the
 * policies and capacity below over it), the calibration, the seed, where the results go.
 */
public final class SimulationOptions {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "node configuration (HOCON) over the defaults")
  Path configFile;

  @Option(names = "--calibration", paramLabel = "FILE",
      description = "start and run costs (from faascell calibrate; default: the one shipped for a 2-core TCG host)")
  Path calibrationFile;

  @Option(names = "--keep-alive", paramLabel = "POLICY", description = "faascell.keep-alive.policy")
  String keepAlive;

  @Option(names = "--ttl", paramLabel = "DURATION", description = "faascell.keep-alive.ttl, e.g. 10m")
  String ttl;

  @Option(names = "--scaling", paramLabel = "POLICY", description = "faascell.scaling.policy")
  String scaling;

  @Option(names = "--selection", paramLabel = "POLICY", description = "faascell.vm-selection.policy")
  String selection;

  @Option(names = "--snapshots", paramLabel = "POLICY", description = "faascell.snapshots.policy (first-boot, never)")
  String snapshots;

  @Option(names = "--queue", paramLabel = "POLICY", description = "faascell.dispatcher.policy (fifo, sejf)")
  String queue;

  @Option(names = "--memory-mb", paramLabel = "MB", defaultValue = "65536",
      description = "memory the node's VMs may add up to (faascell.node.memory-mb; default ${DEFAULT-VALUE})")
  long memoryMb;

  @Option(names = "--max-vms", paramLabel = "N", description = "faascell.node.max-vms")
  Integer maxVms;

  @Option(names = "--start-slots", paramLabel = "N", defaultValue = "2",
      description = "VM starts at once (faascell.node.start-slots; default ${DEFAULT-VALUE}, as a 2-core TCG host)")
  int startSlots;

  @Option(names = "--vcpus", paramLabel = "N", description = "faascell.node.vcpus")
  Integer vcpus;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any other faascell.* key, e.g. --set "
      + "faascell.keep-alive.hybrid-histogram.bins=120; repeatable")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "seed of every random choice: functions, arrivals, work, costs (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "results directory: invocations.csv, status.csv, summary.json, report.html")
  Path out;

  @Option(names = "--no-progress", description = "no progress bar on stderr")
  boolean noProgress;

  /** The flags as configuration keys. */
  Map<String, Object> flags() {
    Map<String, Object> flags = new LinkedHashMap<>(settings);
    put(flags, "faascell.keep-alive.policy", keepAlive);
    put(flags, "faascell.keep-alive.ttl", ttl);
    put(flags, "faascell.scaling.policy", scaling);
    put(flags, "faascell.vm-selection.policy", selection);
    put(flags, "faascell.snapshots.policy", snapshots);
    put(flags, "faascell.dispatcher.policy", queue);
    put(flags, "faascell.node.memory-mb", memoryMb);
    put(flags, "faascell.node.max-vms", maxVms);
    put(flags, "faascell.node.start-slots", startSlots);
    put(flags, "faascell.node.vcpus", vcpus);
    return flags;
  }

  private static void put(Map<String, Object> flags, String key, Object value) {
    if (value != null) {
      flags.put(key, value);
    }
  }

  FaascellConfig config() {
    return FaascellConfig.load(Optional.ofNullable(configFile), ConfigFactory.parseMap(flags()));
  }

  /** The configuration (the file and the flags over the defaults) as one Config, for runs that add their own keys over it. */
  Config userConfig() {
    return config().raw();
  }

  Calibration calibration() {
    return calibrationFile == null ? Calibration.shipped() : Calibration.read(calibrationFile);
  }

  String calibrationSource() {
    return calibrationFile == null ? "shipped: " + Calibration.DEFAULT_RESOURCE : calibrationFile.toString();
  }
}
