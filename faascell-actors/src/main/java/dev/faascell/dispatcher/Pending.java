package dev.faascell.dispatcher;

import dev.faascell.invocation.Job;

/** A job waiting in the Dispatcher's queue; {@code arrival} orders the queue. */
record Pending(Job job, long arrival, long enqueuedNanos) {}
