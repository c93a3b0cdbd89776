package dev.faascell.replay.workload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The synthetic function's source, {@code main.py} beside this class. */
public final class WorkloadCode {
  private WorkloadCode() {
  }

  public static String python() {
    try (InputStream in = WorkloadCode.class.getResourceAsStream("main.py")) {
      if (in == null) {
        throw new IllegalStateException("main.py is missing from the faascell-replay jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
