package dev.faascell.replay.driver;

/**
 * The node's {@code GET /v1/status} at one moment of the replay.
 *
 * @param elapsedMs ms from the replay's start
 * @param vms all VMs; the four states below are those the API documents
 */
public record StatusSample(double elapsedMs, long memoryReservedMb, long memoryCapacityMb, int vms, int starting,
                           int busy, int idle, int stopping, int queueLength) {}
