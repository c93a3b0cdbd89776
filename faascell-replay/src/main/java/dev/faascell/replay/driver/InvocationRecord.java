package dev.faascell.replay.driver;

import dev.faascell.client.ReplyTimings;

/**
 * Everything known about one invocation of a replay.
 *
 * @param index its place in the schedule (open loop) or in the order of sending (closed loop)
 * @param scheduledMs when it was due, ms from the replay's start (closed loop: when it was sent)
 * @param sentMs when it was sent, ms from the replay's start
 * @param latenessMs how long after its due time it was sent
 * @param late whether that exceeded the run's lateness threshold
 * @param httpStatus the reply's status; 0 if there was no reply (see errorKind)
 * @param errorKind empty for a 200; the API's {@code error.kind}, {@code http-<status>} for an error
 *     reply without one, or {@code client-timeout}, {@code connection-failed}, {@code client-error}
 * @param startKind warm, restore or cold; empty if the reply had none
 * @param latencyMs sent → whole reply received, measured by the replay
 */
public record InvocationRecord(int index, String function, double scheduledMs, double sentMs, double latenessMs,
                               boolean late, long requestedDurationMs, int requestedMemoryMb, int httpStatus,
                               String errorKind, String errorMessage, String startKind, String vmId,
                               ReplyTimings timings, double latencyMs) {
  public static final String OK = "ok";

  public boolean succeeded() {
    return httpStatus == 200;
  }

  /** "ok", or what went wrong. */
  public String outcome() {
    return succeeded() ? OK : errorKind;
  }
}
