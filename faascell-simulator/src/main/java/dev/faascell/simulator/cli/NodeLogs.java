package dev.faascell.simulator.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's decision log (every eviction, pre-warm, wait) is for a running node: a simulation makes
 * those decisions millions of times, so its commands keep only warnings.
 */
final class NodeLogs {
  private NodeLogs() {
  }

  static void quiet() {
    if (LoggerFactory.getLogger("dev.faascell") instanceof Logger logger) {
      logger.setLevel(Level.WARN);
    }
  }
}
