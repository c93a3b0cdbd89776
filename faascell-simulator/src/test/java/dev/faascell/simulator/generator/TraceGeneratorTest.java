package dev.faascell.simulator.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.faascell.replay.azure.AzureTrace;
import dev.faascell.replay.azure.AzureTraceReader;
import dev.faascell.replay.azure.FunctionSelection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A generated day against the figures Shahrad et al. (ATC '20) publish for the Azure data set. */
class TraceGeneratorTest {
  @TempDir
  static Path dir;

  static TraceGenerator.Written day;
  static List<String[]> invocations;
  static List<String[]> durations;
  static List<String[]> memory;

  @BeforeAll
  static void generate() throws IOException {
    day = new TraceGenerator(1000, 1).write(dir.resolve("day"), 1);
    invocations = rows(day.files().invocations());
    durations = rows(day.files().durations());
    memory = rows(day.files().memory());
  }

  private static List<String[]> rows(Path file) throws IOException {
    return Files.readAllLines(file).stream().skip(1).map(line -> line.split(",")).toList();
  }

  private static long daily(String[] row) {
    return Arrays.stream(row).skip(4).mapToLong(Long::parseLong).sum();
  }

  private static Map<String, Long> dailyByApp() {
    Map<String, Long> byApp = new HashMap<>();
    invocations.forEach(row -> byApp.merge(row[1], daily(row), Long::sum));
    return byApp;
  }

  @Test
  void theDayHasTheFunctionsAskedForInAppsOfOneOrMore() {
    assertThat(invocations).hasSize(1000);
    assertThat(durations).hasSize(1000);
    assertThat(invocations.get(0)).hasSize(4 + 1440);
    assertThat(memory).hasSize(day.apps());
    // 54% of the data set's applications have a single function
    Map<String, Integer> functionsPerApp = new HashMap<>();
    invocations.forEach(row -> functionsPerApp.merge(row[1], 1, Integer::sum));
    double single = functionsPerApp.values().stream().filter(n -> n == 1).count() / (double) functionsPerApp.size();
    assertThat(single).isCloseTo(0.54, within(0.07));
  }

  @Test
  void aboutFortyFivePercentOfAppsAreInvokedAtMostHourlyAndEightyOneAtMostEveryMinute() {
    Map<String, Long> byApp = dailyByApp();
    double hourly = byApp.values().stream().filter(n -> n <= 24).count() / (double) byApp.size();
    double minutely = byApp.values().stream().filter(n -> n <= 1440).count() / (double) byApp.size();
    assertThat(hourly).isCloseTo(0.45, within(0.06));
    assertThat(minutely).isCloseTo(0.81, within(0.05));
  }

  @Test
  void dailyInvocationsPerFunctionSpanAboutSixOrdersOfMagnitude() {
    long[] daily = invocations.stream().mapToLong(TraceGeneratorTest::daily).sorted().toArray();
    System.out.printf("generated day: %d apps, %d invocations, busiest function %d%n", day.apps(), day.invocations(),
        daily[daily.length - 1]);
    assertThat(daily[0]).isEqualTo(1);
    // the data set's 8 orders come from its ~46,000 applications; a 1,000-function day reaches about 6
    assertThat(Math.log10(daily[daily.length - 1])).isGreaterThanOrEqualTo(6);
    assertThat(day.invocations()).isEqualTo(Arrays.stream(daily).sum());
  }

  @Test
  void timerTriggeredFunctionsAreAboutOneInSixAndFireOnAFixedPeriod() {
    List<String[]> timers = invocations.stream().filter(row -> row[3].equals("timer")).toList();
    assertThat(timers.size() / 1000.0).isCloseTo(0.156, within(0.04));
    for (String[] row : timers) {
      int[] firing = java.util.stream.IntStream.range(4, row.length).filter(i -> !row[i].equals("0")).toArray();
      for (int i = 2; i < firing.length; i++) {
        assertThat(firing[i] - firing[i - 1]).isEqualTo(firing[1] - firing[0]);
      }
    }
  }

  @Test
  void mostFunctionsAverageUnderASecondAndNinetyPercentOfAppsStayUnder400Mb() {
    double underASecond = durations.stream().filter(row -> Double.parseDouble(row[3]) < 1000).count() / 1000.0;
    assertThat(underASecond).isBetween(0.5, 0.7);
    double under400 = memory.stream().filter(row -> Double.parseDouble(row[11]) <= 400).count() / (double) memory.size();
    assertThat(under400).isCloseTo(0.90, within(0.04));
  }

  @Test
  void theReplayReadsTheDayAndTheSameSeedWritesTheSameDay() throws IOException {
    AzureTrace trace = new AzureTraceReader().read(day.files(), FunctionSelection.all(), 1, OptionalInt.empty());
    assertThat(trace.unusableInvoked()).isZero();
    assertThat(trace.totalInvocations()).isEqualTo(day.invocations());

    TraceGenerator.Written again = new TraceGenerator(1000, 1).write(dir.resolve("again"), 1);
    TraceGenerator.Written other = new TraceGenerator(1000, 2).write(dir.resolve("other"), 1);
    assertThat(Files.readAllLines(again.files().invocations())).isEqualTo(Files.readAllLines(day.files().invocations()));
    assertThat(Files.readAllLines(again.files().memory())).isEqualTo(Files.readAllLines(day.files().memory()));
    assertThat(other.invocations()).isNotEqualTo(day.invocations());
  }
}
