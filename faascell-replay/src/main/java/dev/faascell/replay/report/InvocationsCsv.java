package dev.faascell.replay.report;

import dev.faascell.replay.csv.CsvReader;
import dev.faascell.replay.csv.CsvWriter;
import dev.faascell.replay.driver.InvocationRecord;
import dev.faascell.client.ReplyTimings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code invocations.csv}: one row per invocation, every field of its record. */
final class InvocationsCsv {
  static final String FILE = "invocations.csv";
  static final List<String> COLUMNS = List.of("index", "function", "scheduledMs", "sentMs", "latenessMs", "late",
      "requestedDurationMs", "requestedMemoryMb", "httpStatus", "outcome", "errorKind", "startKind", "vmId", "queueMs",
      "acquireMs", "bootMs", "restoreMs", "initMs", "runMs", "execMs", "totalMs", "latencyMs", "errorMessage");

  private InvocationsCsv() {
  }

  static void write(Path file, List<InvocationRecord> records) {
    try (CsvWriter csv = CsvWriter.create(file)) {
      csv.row(COLUMNS);
      for (InvocationRecord r : records) {
        ReplyTimings t = r.timings();
        csv.row(List.of(Integer.toString(r.index()), r.function(), Numbers.ms(r.scheduledMs()), Numbers.ms(r.sentMs()),
            Numbers.ms(r.latenessMs()), Boolean.toString(r.late()), Long.toString(r.requestedDurationMs()),
            Integer.toString(r.requestedMemoryMb()), Integer.toString(r.httpStatus()), r.outcome(), r.errorKind(),
            r.startKind(), r.vmId(), Numbers.ms(t.queueMs()), Numbers.ms(t.acquireMs()), Numbers.ms(t.bootMs()),
            Numbers.ms(t.restoreMs()), Numbers.ms(t.initMs()), Numbers.ms(t.runMs()), Numbers.ms(t.execMs()),
            Numbers.ms(t.totalMs()), Numbers.ms(r.latencyMs()), r.errorMessage()));
      }
    }
  }

  static List<InvocationRecord> read(Path file) {
    List<InvocationRecord> records = new ArrayList<>();
    try (CsvReader csv = CsvReader.open(file)) {
      csv.header(COLUMNS);
      for (List<String> row = csv.next(); row != null; row = csv.next()) {
        csv.checkWidth(row, COLUMNS);
        records.add(new InvocationRecord((int) integer(csv, row, 0), row.get(1), ms(csv, row, 2), ms(csv, row, 3),
            ms(csv, row, 4), Boolean.parseBoolean(row.get(5)), integer(csv, row, 6), (int) integer(csv, row, 7),
            (int) integer(csv, row, 8), row.get(10), row.get(22), row.get(11), row.get(12),
            new ReplyTimings(ms(csv, row, 13), ms(csv, row, 14), ms(csv, row, 15), ms(csv, row, 16), ms(csv, row, 17),
                ms(csv, row, 18), ms(csv, row, 19), ms(csv, row, 20)), ms(csv, row, 21)));
      }
    }
    return records;
  }

  private static double ms(CsvReader csv, List<String> row, int index) {
    return Numbers.parseMs(csv, row.get(index), index + 1, COLUMNS.get(index));
  }

  private static long integer(CsvReader csv, List<String> row, int index) {
    return Numbers.parseLong(csv, row.get(index), index + 1, COLUMNS.get(index));
  }
}
