package dev.faascell.replay.report;

import dev.faascell.replay.csv.CsvReader;
import dev.faascell.replay.csv.CsvWriter;
import dev.faascell.replay.driver.StatusSample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code status.csv}: the node's status samples. */
final class StatusCsv {
  static final String FILE = "status.csv";
  static final List<String> COLUMNS = List.of("elapsedMs", "memoryReservedMb", "memoryCapacityMb", "vms", "starting",
      "busy", "idle", "stopping", "queueLength");

  private StatusCsv() {
  }

  static void write(Path file, List<StatusSample> samples) {
    try (CsvWriter csv = CsvWriter.create(file)) {
      csv.row(COLUMNS);
      for (StatusSample s : samples) {
        csv.row(List.of(Numbers.ms(s.elapsedMs()), Long.toString(s.memoryReservedMb()), Long.toString(s.memoryCapacityMb()),
            Integer.toString(s.vms()), Integer.toString(s.starting()), Integer.toString(s.busy()),
            Integer.toString(s.idle()), Integer.toString(s.stopping()), Integer.toString(s.queueLength())));
      }
    }
  }

  static List<StatusSample> read(Path file) {
    List<StatusSample> samples = new ArrayList<>();
    try (CsvReader csv = CsvReader.open(file)) {
      csv.header(COLUMNS);
      for (List<String> row = csv.next(); row != null; row = csv.next()) {
        csv.checkWidth(row, COLUMNS);
        long[] n = new long[COLUMNS.size()];
        for (int i = 1; i < n.length; i++) {
          n[i] = Numbers.parseLong(csv, row.get(i), i + 1, COLUMNS.get(i));
        }
        samples.add(new StatusSample(Numbers.parseMs(csv, row.get(0), 1, COLUMNS.get(0)), n[1], n[2], (int) n[3],
            (int) n[4], (int) n[5], (int) n[6], (int) n[7], (int) n[8]));
      }
    }
    return samples;
  }
}
