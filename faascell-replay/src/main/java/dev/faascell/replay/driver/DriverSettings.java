package dev.faascell.replay.driver;

import java.net.URI;
import java.time.Duration;

/**
 * How the driver talks to the node.
 *
 * @param node the API's base URL
 * @param lateThreshold an invocation sent more than this after its due time counts as late
 * @param statusInterval how often {@code GET /v1/status} is polled
 * @param requestTimeout how long one invocation may take before the replay records it as a client timeout
 */
public record DriverSettings(URI node, Duration lateThreshold, Duration statusInterval, Duration requestTimeout) {
  public static final Duration DEFAULT_LATE_THRESHOLD = Duration.ofMillis(10);

  public DriverSettings {
    String url = node.toString();
    node = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
  }

  /**
   * 10 ms lateness, a status sample per second, and a request timeout of 20 min: longer than any
   * function timeout (15 min) plus the node's queue timeout, so the node always answers first.
   */
  public static DriverSettings defaults(URI node) {
    return new DriverSettings(node, DEFAULT_LATE_THRESHOLD, Duration.ofSeconds(1), Duration.ofMinutes(20));
  }
}
