package dev.faascell.policy.scaling;

import dev.faascell.model.FunctionName;

/**
 * What the VmPool knows when an invocation of {@code function} finds no idle VM. Durations are in
 * nanoseconds; 0 means the node has no history yet.
 *
 * @param busyVms            VMs of the function running an invocation now
 * @param longestBusyNanos   how long the busy VM that started its invocation first has been running it
 * @param waitingAhead       invocations of the function ahead of this one that already chose to wait
 * @param expectedRunNanos   the function's typical run time (RUN sent → result), from its history
 * @param expectedStartNanos the typical time to ready a VM of the function the way it would start now
 *                           (restore when it has a snapshot, else boot and init), from the node's history
 * @param startsAhead        VM starts already waiting for a start slot
 * @param startSlots         VM starts the node runs at once
 */
public record Demand(FunctionName function, int busyVms, long longestBusyNanos, int waitingAhead,
                     long expectedRunNanos, long expectedStartNanos, int startsAhead, int startSlots) {}
