package dev.faascell.simulator;

import dev.faascell.config.FaascellConfig;
import dev.faascell.config.NodeCapacity;
import dev.faascell.policy.PolicyRegistry;
import dev.faascell.policy.admission.QueuePolicy;
import dev.faascell.simulator.calibration.Calibration;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.vmpool.VmPool;
import java.time.Duration;

/**
 * Everything a simulation runs with: the node's capacity and policies, made from a configuration
 * exactly as the daemon makes them (reference.conf, a file, flags), the costs to draw from, and the seed.
 *
 * @param runtime       the runtime the simulated functions run (picks the calibration entries)
 * @param statusEvery   how often (virtual time) the pool's state is sampled into status.csv
 */
public record SimulationSettings(NodeCapacity capacity, VmPool.Policies policies, QueuePolicy queue,
                                 FaascellConfig.DispatcherSettings dispatcher, Calibration calibration, long seed,
                                 String runtime, Duration statusEvery) {

  /** The settings the daemon would run with under {@code config}. */
  public static SimulationSettings of(FaascellConfig config, Calibration calibration, long seed, Duration statusEvery) {
    var snapshots = config.snapshots();
    var policies = new VmPool.Policies(PolicyRegistry.KEEP_ALIVE.create(config.raw()), config.keepAliveCheckInterval(),
        PolicyRegistry.VM_SELECTION.create(config.raw()), PolicyRegistry.SCALING.create(config.raw()),
        PolicyRegistry.SNAPSHOT.create(config.raw()), SnapshotFormat.parse(snapshots.format()),
        snapshots.prestartedPerSnapshot(), snapshots.prestartMemoryMb(), snapshots.restoreRetries());
    return new SimulationSettings(config.capacity(false), policies, PolicyRegistry.QUEUE.create(config.raw()),
        config.dispatcher(), calibration, seed, "python", statusEvery);
  }
}
