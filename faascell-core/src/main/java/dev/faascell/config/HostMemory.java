package dev.faascell.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's memory, from /proc/meminfo. */
public final class HostMemory {
  private static final Path MEMINFO = Path.of("/proc/meminfo");

  private HostMemory() {
  }

  public static long totalMb() {
    return field("MemTotal:", 2048);
  }

  /** What the kernel estimates can be allocated without swapping (MemAvailable); 0 when unknown. */
  public static long availableMb() {
    return field("MemAvailable:", 0);
  }

  private static long field(String name, long fallbackMb) {
    try {
      for (String line : Files.readAllLines(MEMINFO)) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through to the fallback
    }
    return fallbackMb;
  }
}
