package dev.faascell.replay.report;

import dev.faascell.replay.driver.InvocationRecord;
import dev.faascell.client.ReplyTimings;
import dev.faascell.replay.driver.StatusSample;
import java.util.ArrayList;
import java.util.List;

/** Made-up records for report tests. */
final class Records {
  private Records() {
  }

  static InvocationRecord ok(int index, String function, String startKind, double latencyMs) {
    return new InvocationRecord(index, function, index * 1000.0, index * 1000.0 + 0.2, 0.2, false, 100, 16, 200, "", "",
        startKind, "vm-" + index % 3, new ReplyTimings(0.4, startKind.equals("warm") ? 0.1 : 900, startKind.equals("cold") ? 800 : 0,
        startKind.equals("restore") ? 150 : 0, 50, 101, 100, latencyMs - 1), latencyMs);
  }

  static InvocationRecord failed(int index, String function, int status, String kind, boolean late) {
    return new InvocationRecord(index, function, index * 1000.0, index * 1000.0 + (late ? 40 : 0.2), late ? 40 : 0.2, late,
        100, 16, status, kind, "went wrong, with \"quotes\",\nand a new line", "", "", ReplyTimings.NONE, 1.5);
  }

  /** 30 invocations over 30 s of two functions: a busy one mostly warm, a rare one cold and restored; a 429 and a late 504. */
  static List<InvocationRecord> run() {
    List<InvocationRecord> records = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      if (i == 7) {
        records.add(failed(i, "busy", 429, "queue-full", false));
      } else if (i == 21) {
        records.add(failed(i, "rare", 504, "timeout", true));
      } else if (i % 5 == 0) {
        records.add(ok(i, "rare", i < 10 ? "cold" : "restore", i < 10 ? 4000 + i : 300 + i));
      } else {
        records.add(ok(i, "busy", i == 1 ? "cold" : "warm", i == 1 ? 4500 : 3 + i % 4));
      }
    }
    return records;
  }

  static List<StatusSample> status() {
    List<StatusSample> samples = new ArrayList<>();
    for (int s = 0; s <= 30; s++) {
      samples.add(new StatusSample(s * 1000.0, 228L * (1 + s % 2), 16873, 1 + s % 2, 0, s % 2, 1, 0, 0));
    }
    return samples;
  }
}
