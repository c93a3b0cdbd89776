package dev.faascell.policy.keepalive;

import dev.faascell.model.FunctionName;

/**
 * What a keep-alive policy may know about one idle VM. Times are nanoTime stamps of the caller's
 * clock (a virtual clock in tests).
 *
 * @param coldStartNanos how long this VM took to become ready (boot + init, or restore)
 */
public record IdleVm(String vmId, FunctionName function, int memoryMb, long idleSinceNanos, long invocations,
                     long coldStartNanos) {}
