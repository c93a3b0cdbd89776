package dev.faascell.replay.azure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Writes small traces in the Azure format (invocations.csv, durations.csv, memory.csv) for tests. */
final class SmallTrace {
  private final int minutes;
  private final List<String> invocationRows = new ArrayList<>();
  private final List<String> durationRows = new ArrayList<>();
  private final List<String> memoryRows = new ArrayList<>();

  SmallTrace(int minutes) {
    this.minutes = minutes;
  }

  /** A function of owner o, app a with the per-minute counts, durations 10..1000 ms and its app's memory 20..100 MB. */
  SmallTrace function(String app, String function, int... counts) {
    if (counts.length != minutes) {
      throw new IllegalArgumentException("need " + minutes + " counts");
    }
    invocationRows.add("o," + app + "," + function + ",http," + IntStream.of(counts).mapToObj(Integer::toString)
        .collect(Collectors.joining(",")));
    durationRows.add("o," + app + "," + function + ",200,10,10,1000,10,20,100,200,400,900,1000");
    if (memoryRows.stream().noneMatch(row -> row.startsWith("o," + app + ","))) {
      memoryRows.add("o," + app + ",5,50,20,25,40,50,60,80,95,100");
    }
    return this;
  }

  /** Adds a raw line to the invocations file (for malformed rows). */
  SmallTrace invocationLine(String line) {
    invocationRows.add(line);
    return this;
  }

  String invocationsHeader() {
    return "HashOwner,HashApp,HashFunction,Trigger," + IntStream.rangeClosed(1, minutes).mapToObj(Integer::toString)
        .collect(Collectors.joining(","));
  }

  AzureTraceFiles write(Path dir) throws IOException {
    return write(dir, invocationsHeader(), String.join(",", AzureTraceReader.DURATION_COLUMNS),
        String.join(",", AzureTraceReader.MEMORY_COLUMNS));
  }

  AzureTraceFiles write(Path dir, String invocationsHeader, String durationsHeader, String memoryHeader) throws IOException {
    AzureTraceFiles files = new AzureTraceFiles(dir.resolve("invocations.csv"), dir.resolve("durations.csv"), dir.resolve("memory.csv"));
    Files.writeString(files.invocations(), invocationsHeader + "\n" + lines(invocationRows));
    Files.writeString(files.durations(), durationsHeader + "\n" + lines(durationRows));
    Files.writeString(files.memory(), memoryHeader + "\n" + lines(memoryRows));
    return files;
  }

  List<String> durationRows() {
    return durationRows;
  }

  List<String> memoryRows() {
    return memoryRows;
  }

  private static String lines(List<String> rows) {
    return rows.stream().map(row -> row + "\n").collect(Collectors.joining());
  }
}
