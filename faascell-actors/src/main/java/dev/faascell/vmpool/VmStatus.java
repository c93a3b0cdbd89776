package dev.faascell.vmpool;

/** One VM in the pool's status report; {@code accountedMb} is what the node's memory accounting holds for it. */
public record VmStatus(String vmId, String function, String functionVersion, VmState state, int memoryMb,
                       long accountedMb, long ageMillis, long idleMillis, long invocations) {}
