package dev.faascell.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's total memory, from /proc/meminfo. */
final class HostMemory {
  private HostMemory() {
  }

  static long totalMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through to a conservative guess
    }
    return 2048;
  }
}
