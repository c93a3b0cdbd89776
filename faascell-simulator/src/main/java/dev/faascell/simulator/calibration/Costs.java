package dev.faascell.simulator.calibration;

import dev.faascell.replay.azure.PercentileDistribution;

/**
 * What starting and running one function costs on the calibrated node, as distributions in ms: a cold
 * boot to the guest agent's READY, loading the function's code (INIT), taking a snapshot after INIT, a
 * restore from a snapshot, and the node's own overhead on top of the function's run (the invocation's
 * round trip in the node minus the guest's execution).
 */
public record Costs(PercentileDistribution bootMs, PercentileDistribution initMs, PercentileDistribution snapshotMs,
                    PercentileDistribution restoreMs, PercentileDistribution warmOverheadMs) {}
