package dev.faascell.replay.driver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faascell.client.FaascellClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Samples the node's status; each sample is taken on the poller's own thread. */
final class StatusPoller {
  private final FaascellClient node;
  private final Duration timeout;
  private final long startNanos;
  private final List<StatusSample> samples = new ArrayList<>();
  private int failures;

  StatusPoller(FaascellClient node, Duration timeout, long startNanos) {
    this.node = node;
    this.timeout = timeout;
    this.startNanos = startNanos;
  }

  void poll() {
    double elapsedMs = (System.nanoTime() - startNanos) / 1e6;
    Optional<JsonNode> status;
    try {
      status = node.status(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    synchronized (this) {
      if (status.isPresent() && status.get().path("node").isObject()) {
        samples.add(sample(elapsedMs, status.get()));
      } else {
        failures++;
      }
    }
  }

  static StatusSample sample(double elapsedMs, JsonNode status) {
    JsonNode node = status.path("node");
    int starting = 0;
    int busy = 0;
    int idle = 0;
    int stopping = 0;
    for (JsonNode vm : status.path("vms")) {
      String state = vm.path("state").asText();
      starting += state.equals("starting") ? 1 : 0;
      busy += state.equals("busy") ? 1 : 0;
      idle += state.equals("idle") ? 1 : 0;
      stopping += state.equals("stopping") ? 1 : 0;
    }
    return new StatusSample(elapsedMs, node.path("memoryReservedMb").asLong(), node.path("memoryCapacityMb").asLong(),
        status.path("vms").size(), starting, busy, idle, stopping, status.path("queue").path("length").asInt());
  }

  synchronized List<StatusSample> samples() {
    return List.copyOf(samples);
  }

  synchronized int failures() {
    return failures;
  }
}
