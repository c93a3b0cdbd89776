package dev.faascell.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Turns debug logging on for one part of the node at a time (logs are quiet by default). */
final class LogSwitch {
  /** The parts of the node, by the package that logs for them. */
  enum Part {
    DISPATCHER("dev.faascell.dispatcher"),
    VMPOOL("dev.faascell.vmpool"),
    WORKER("dev.faascell.worker"),
    SNAPSHOTS("dev.faascell.snapshot"),
    SINK("dev.faascell.sink"),
    PERF("dev.faascell.perf"),
    API("dev.faascell.source"),
    VMM("dev.faascell.vmm"),
    ALL("dev.faascell");

    private final String loggerName;

    Part(String loggerName) {
      this.loggerName = loggerName;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private LogSwitch() {
  }

  static void debug(List<Part> parts) {
    for (Part part : parts) {
      ((Logger) LoggerFactory.getLogger(part.loggerName)).setLevel(Level.DEBUG);
    }
  }
}
