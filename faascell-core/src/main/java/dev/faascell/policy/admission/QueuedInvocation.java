package dev.faascell.policy.admission;

import dev.faascell.model.FunctionName;

/** What a queue policy may know about one waiting invocation; {@code arrival} numbers them in order. */
public record QueuedInvocation(long arrival, FunctionName function, long enqueuedNanos) {}
