package dev.faascell.vmpool;

/** One VM in the pool's status report. */
public record VmStatus(String vmId, String function, String functionVersion, VmState state, int memoryMb,
                       long ageMillis, long idleMillis, long invocations) {}
