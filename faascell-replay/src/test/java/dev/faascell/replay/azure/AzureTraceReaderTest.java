package dev.faascell.replay.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faascell.replay.csv.CsvFormatException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzureTraceReaderTest {
  @TempDir
  Path dir;

  private final AzureTraceReader reader = new AzureTraceReader();

  static Path sampleTrace(String name) throws URISyntaxException {
    return Path.of(AzureTraceReaderTest.class.getResource("/traces/" + name).toURI());
  }

  @Test
  void theBundledSampleParsesWithItsSkew() throws Exception {
    AzureTraceFiles files = AzureTraceFiles.ofDay(sampleTrace("sample-d01"), 1);
    AzureTrace all = reader.read(files, FunctionSelection.top(100), 1, OptionalInt.of(60));

    assertThat(all.functions()).hasSize(8);
    assertThat(all.window()).isEqualTo(new TraceWindow(1, 60));
    assertThat(all.unusableInvoked()).isZero();
    assertThat(all.functions()).allSatisfy(f -> {
      assertThat(f.countsPerMinute()).hasSize(60);
      assertThat(f.durationMs().min()).isGreaterThanOrEqualTo(40);
      assertThat(f.durationMs().max()).isLessThanOrEqualTo(2000);
      assertThat(f.memoryMb().min()).isGreaterThanOrEqualTo(30);
      assertThat(f.memoryMb().max()).isLessThanOrEqualTo(150);
    });
    List<Long> totals = all.functions().stream().map(TraceFunction::totalInvocations).sorted().toList();
    // a couple of popular functions carry most of the load, several rare ones a handful each
    assertThat(totals.get(totals.size() - 1) + totals.get(totals.size() - 2)).isGreaterThan(all.totalInvocations() * 3 / 4);
    assertThat(totals.stream().filter(t -> t <= 6)).hasSizeGreaterThanOrEqualTo(4);
  }

  @Test
  void theDemoTraceHasTenMinutesOfCounts() throws Exception {
    AzureTrace demo = reader.read(AzureTraceFiles.ofDay(sampleTrace("demo-10min"), 1), FunctionSelection.top(100), 1,
        OptionalInt.empty());
    assertThat(demo.window()).isEqualTo(new TraceWindow(1, 1440));
    assertThat(demo.functions()).hasSize(6);
    assertThat(demo.functions()).allSatisfy(f -> assertThat(f.countsPerMinute().subList(10, 1440)).containsOnly(0));
  }

  @Test
  void theWindowKeepsOnlyItsMinutes() throws Exception {
    AzureTraceFiles files = new SmallTrace(6).function("a", "f1", 1, 2, 3, 4, 5, 6).write(dir);
    AzureTrace trace = reader.read(files, FunctionSelection.top(1), 2, OptionalInt.of(3));
    assertThat(trace.window()).isEqualTo(new TraceWindow(2, 3));
    assertThat(trace.functions().get(0).countsPerMinute()).containsExactly(2, 3, 4);
    assertThat(trace.totalInvocations()).isEqualTo(9);

    assertThat(reader.read(files, FunctionSelection.top(1), 5, OptionalInt.empty()).functions().get(0).countsPerMinute())
        .containsExactly(5, 6);
    assertThatThrownBy(() -> reader.read(files, FunctionSelection.top(1), 5, OptionalInt.of(3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minutes 1..6 of invocations.csv");
  }

  @Test
  void aMalformedCountNamesFileLineAndColumn() throws Exception {
    SmallTrace trace = new SmallTrace(10);
    for (int i = 0; i < 5; i++) {
      trace.function("a", "f" + i, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    }
    trace.invocationLine("o,a,bad,http,0,0,0,0,0,0,0,abc,0,0");
    AzureTraceFiles files = trace.write(dir);
    assertThatThrownBy(() -> reader.read(files, FunctionSelection.top(3), 1, OptionalInt.empty()))
        .isInstanceOf(CsvFormatException.class)
        .hasMessage("invocations.csv line 7, column 12 ('1..1440' minute 8): 'abc' is not a count");
  }

  @Test
  void aTruncatedRowNamesTheFirstMissingColumn() throws Exception {
    AzureTraceFiles files = new SmallTrace(4).function("a", "f1", 1, 1, 1, 1).invocationLine("o,a,cut,http,1,2").write(dir);
    assertThatThrownBy(() -> reader.read(files, FunctionSelection.top(1), 1, OptionalInt.empty()))
        .isInstanceOf(CsvFormatException.class)
        .hasMessage("invocations.csv line 3, column 7 ('1..1440' minute 3): missing, the row ends after 6 of 8 columns (truncated?)");
  }

  @Test
  void aRowLongerThanTheHeaderIsRefused() throws Exception {
    AzureTraceFiles files = new SmallTrace(2).function("a", "f1", 1, 1).invocationLine("o,a,long,http,1,2,3").write(dir);
    assertThatThrownBy(() -> reader.read(files, FunctionSelection.top(1), 1, OptionalInt.empty()))
        .hasMessage("invocations.csv line 3, column 7 (beyond the header): unexpected value '3', the header has 6 columns");
  }

  @Test
  void aMissingHeaderColumnIsNamed() throws Exception {
    SmallTrace trace = new SmallTrace(2).function("a", "f1", 1, 1);
    List<String> columns = AzureTraceReader.DURATION_COLUMNS;
    AzureTraceFiles files = trace.write(dir, trace.invocationsHeader(), String.join(",", columns.subList(0, 13)),
        String.join(",", AzureTraceReader.MEMORY_COLUMNS));
    assertThatThrownBy(() -> reader.read(files, FunctionSelection.top(1), 1, OptionalInt.empty()))
        .isInstanceOf(CsvFormatException.class)
        .hasMessage("durations.csv line 1, column 14 ('percentile_Average_100'): missing column, the header ends after 13 columns");
  }

  @Test
  void aWrongHeaderIsNamed() throws Exception {
    SmallTrace trace = new SmallTrace(2).function("a", "f1", 1, 1);
    AzureTraceFiles files = trace.write(dir, trace.invocationsHeader(), String.join(",", AzureTraceReader.DURATION_COLUMNS),
        String.join(",", AzureTraceReader.MEMORY_COLUMNS).replace("AverageAllocatedMb,", "AllocatedMb,"));
    assertThatThrownBy(() -> reader.read(files, FunctionSelection.top(1), 1, OptionalInt.empty()))
        .hasMessage("memory.csv line 1, column 4 ('AverageAllocatedMb'): wrong header, expected 'AverageAllocatedMb', found 'AllocatedMb'");

    AzureTraceFiles minutesOutOfOrder = trace.write(dir, "HashOwner,HashApp,HashFunction,Trigger,1,3",
        String.join(",", AzureTraceReader.DURATION_COLUMNS), String.join(",", AzureTraceReader.MEMORY_COLUMNS));
    assertThatThrownBy(() -> reader.read(minutesOutOfOrder, FunctionSelection.top(1), 1, OptionalInt.empty()))
        .hasMessage("invocations.csv line 1, column 6 ('1..1440' minute 2): wrong header, expected '2', found '3'");
  }

  @Test
  void aMalformedDurationOrMemoryIsNamed() throws Exception {
    SmallTrace trace = new SmallTrace(2).function("a", "f1", 1, 1);
    trace.durationRows().set(0, "o,a,f1,200,10,10,1000,10,20,100,-5,400,900,1000");
    AzureTraceFiles files = trace.write(dir);
    assertThatThrownBy(() -> reader.read(files, FunctionSelection.top(1), 1, OptionalInt.empty()))
        .hasMessage("durations.csv line 2, column 11 ('percentile_Average_50'): '-5' is not a number of milliseconds");

    SmallTrace memory = new SmallTrace(2).function("a", "f1", 1, 1);
    memory.memoryRows().set(0, "o,a,5,50,20,25,40,x,60,80,95,100");
    AzureTraceFiles memoryFiles = memory.write(dir);
    assertThatThrownBy(() -> reader.read(memoryFiles, FunctionSelection.top(1), 1, OptionalInt.empty()))
        .hasMessage("memory.csv line 2, column 8 ('AverageAllocatedMb_pct50'): 'x' is not a number of MB");
  }

  @Test
  void anEmptyFileSaysWhatHeaderItNeeds() throws Exception {
    AzureTraceFiles files = new SmallTrace(1).function("a", "f1", 1).write(dir);
    Files.writeString(files.memory(), "");
    assertThatThrownBy(() -> reader.read(files, FunctionSelection.top(1), 1, OptionalInt.empty()))
        .hasMessageStartingWith("memory.csv line 1: the file is empty, expected a header row starting with HashOwner,HashApp,");
  }

  @Test
  void functionsWithoutDurationsOrMemoryAreCountedAndExplained() throws Exception {
    SmallTrace trace = new SmallTrace(2).function("a", "f1", 1, 1).invocationLine("o,a,nodur,timer,3,0")
        .invocationLine("o,nomem,f3,http,1,0").invocationLine("o,a,idle,http,0,0");
    trace.durationRows().add("o,nomem,f3,200,10,10,1000,10,20,100,200,400,900,1000");
    AzureTraceFiles files = trace.write(dir);

    AzureTrace top = reader.read(files, FunctionSelection.top(10), 1, OptionalInt.empty());
    assertThat(top.functions()).extracting(f -> f.key().function()).containsExactly("f1");
    assertThat(top.unusableInvoked()).isEqualTo(2);

    assertThatThrownBy(() -> reader.read(files, FunctionSelection.hashes(List.of("nodur")), 1, OptionalInt.empty()))
        .hasMessage("function nodur cannot be replayed: no row in durations.csv");
    assertThatThrownBy(() -> reader.read(files, FunctionSelection.hashes(List.of("F3")), 1, OptionalInt.empty()))
        .hasMessage("function F3 cannot be replayed: its app has no row in memory.csv");
    assertThatThrownBy(() -> reader.read(files, FunctionSelection.hashes(List.of("nowhere")), 1, OptionalInt.empty()))
        .hasMessage("function nowhere is not in the invocations file");
  }

  @Test
  void aFunctionListedOncePerTriggerIsInvokedByBoth() throws Exception {
    AzureTraceFiles files = new SmallTrace(2).function("a", "f1", 1, 2).invocationLine("o,a,f1,timer,1,1").write(dir);
    AzureTrace trace = reader.read(files, FunctionSelection.top(5), 1, OptionalInt.empty());
    assertThat(trace.functions()).singleElement().satisfies(f -> {
      assertThat(f.countsPerMinute()).containsExactly(2, 3);
      assertThat(f.trigger()).isEqualTo("http+timer");
    });
  }

  @Test
  void theMemoryFileMayHaveOneRowPerFunctionAsOtherToolsShipIt() throws Exception {
    SmallTrace trace = new SmallTrace(2).function("a", "f1", 1, 1).function("a", "f2", 2, 0).function("b", "f3", 0, 4);
    AzureTraceFiles perApp = trace.write(Files.createDirectories(dir.resolve("per-app")));
    Path perFunctionDir = Files.createDirectories(dir.resolve("per-function"));
    AzureTraceFiles perFunction = trace.write(perFunctionDir);
    // the same trace, its memory file per function; f2 gets figures of its own, f3 none
    Files.writeString(perFunction.memory(), String.join(",", AzureTraceReader.FUNCTION_MEMORY_COLUMNS) + "\n"
        + "o,a,f1,5,50,20,25,40,50,60,80,95,100\n"
        + "o,a,f2,5,300,200,220,250,300,320,350,380,400\n");

    AzureTrace fromApps = reader.read(perApp, FunctionSelection.all(), 1, OptionalInt.empty());
    AzureTrace fromFunctions = reader.read(perFunction, FunctionSelection.all(), 1, OptionalInt.empty());

    assertThat(fromApps.functions()).extracting(f -> f.key().function()).containsExactly("f1", "f2", "f3");
    assertThat(fromApps.functions()).extracting(f -> f.memoryMb().valueAt(0.5)).containsExactly(50.0, 50.0, 50.0);
    assertThat(fromFunctions.functions()).extracting(f -> f.key().function()).containsExactly("f1", "f2");
    assertThat(fromFunctions.functions()).extracting(f -> f.memoryMb().valueAt(0.5)).containsExactly(50.0, 300.0);
    assertThat(fromFunctions.unusableInvoked()).isEqualTo(1);
    assertThatThrownBy(() -> reader.read(perFunction, FunctionSelection.hashes(List.of("f3")), 1, OptionalInt.empty()))
        .hasMessage("function f3 cannot be replayed: it has no row in memory.csv");
  }

  @Test
  void aPerFunctionMemoryFileStillNamesFileLineAndColumnOfABadCell() throws Exception {
    AzureTraceFiles files = new SmallTrace(2).function("a", "f1", 1, 1).write(dir);
    Files.writeString(files.memory(), String.join(",", AzureTraceReader.FUNCTION_MEMORY_COLUMNS) + "\n"
        + "o,a,f1,5,50,20,25,40,x,60,80,95,100\n");
    assertThatThrownBy(() -> reader.read(files, FunctionSelection.all(), 1, OptionalInt.empty()))
        .hasMessage("memory.csv line 2, column 9 ('AverageAllocatedMb_pct50'): 'x' is not a number of MB");

    Files.writeString(files.memory(), "HashOwner,HashApp,HashFunction,Samples\n");
    assertThatThrownBy(() -> reader.read(files, FunctionSelection.all(), 1, OptionalInt.empty()))
        .hasMessage("memory.csv line 1, column 4 ('SampleCount'): wrong header, expected 'SampleCount', found 'Samples'");
  }

  @Test
  void allTakesEveryUsableFunctionInvokedInTheWindow() throws Exception {
    SmallTrace trace = new SmallTrace(2).function("a", "f1", 1, 0).function("a", "f2", 0, 0).function("b", "f3", 0, 7)
        .invocationLine("o,a,nodur,timer,3,0");
    AzureTrace all = reader.read(trace.write(dir), FunctionSelection.all(), 1, OptionalInt.empty());
    assertThat(all.functions()).extracting(f -> f.key().function()).containsExactly("f1", "f3");
    assertThat(all.unusableInvoked()).isEqualTo(1);
  }
}
