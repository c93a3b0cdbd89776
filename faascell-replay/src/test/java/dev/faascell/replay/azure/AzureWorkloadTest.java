package dev.faascell.replay.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.replay.arrivals.MinuteSpread;
import dev.faascell.replay.arrivals.ScheduledInvocation;
import dev.faascell.replay.arrivals.SpeedUp;
import dev.faascell.replay.workload.MemoryModel;
import dev.faascell.replay.workload.WorkloadLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzureWorkloadTest {
  @TempDir
  Path dir;

  private AzureTrace trace() throws Exception {
    AzureTraceFiles files = new SmallTrace(4)
        .function("a", "ABCDEF0123456789", 0, 2, 5, 1)
        .function("b", "ffff000011112222", 3, 0, 0, 4).write(dir);
    return new AzureTraceReader().read(files, FunctionSelection.top(2), 2, OptionalInt.of(3));
  }

  @Test
  void everyCountOfTheWindowIsScheduledInItsMinuteAtTheSpeedUp() throws Exception {
    AzureWorkload workload = AzureWorkload.of(trace(), WorkloadLimits.DEFAULT, MinuteSpread.UNIFORM, new SpeedUp(60), 1, MemoryModel.PER_INVOCATION);
    // window minutes 2-4: a gets 2, 5, 1 and b gets 0, 0, 4; at 60x a trace minute is one second
    assertThat(workload.schedule().size()).isEqualTo(12);
    Map<String, List<Long>> secondsByFunction = workload.schedule().invocations().stream().collect(Collectors.groupingBy(
        ScheduledInvocation::function, Collectors.mapping(i -> i.offsetNanos() / 1_000_000_000L, Collectors.toList())));
    assertThat(secondsByFunction.get("trace-abcdef012345")).containsExactly(0L, 0L, 1L, 1L, 1L, 1L, 1L, 2L);
    assertThat(secondsByFunction.get("trace-ffff00001111")).containsExactly(2L, 2L, 2L, 2L);
  }

  @Test
  void speedUpDividesTraceTime() {
    assertThat(new SpeedUp(60).wallNanos(60)).isEqualTo(1_000_000_000L);
    assertThat(new SpeedUp(1).wallNanos(90.5)).isEqualTo(90_500_000_000L);
    assertThat(new SpeedUp(0.5).wallNanos(1)).isEqualTo(2_000_000_000L);
  }

  @Test
  void workIsDrawnWithinTheFunctionsPercentilesAndTheLimits() throws Exception {
    AzureWorkload workload = AzureWorkload.of(trace(), new WorkloadLimits(90, 700), MinuteSpread.EXPONENTIAL, SpeedUp.REAL_TIME, 3, MemoryModel.PER_INVOCATION);
    assertThat(workload.schedule().invocations()).allSatisfy(i -> {
      assertThat(i.work().durationMs()).isBetween(10L, 700L);
      assertThat(i.work().memoryMb()).isBetween(20, 90);
    });
    // memory capped at 90 + 64 headroom → 192; timeout 3 × 700 + 5000
    assertThat(workload.deployed()).allSatisfy(f -> {
      assertThat(f.memoryMb()).isEqualTo(192);
      assertThat(f.timeoutMs()).isEqualTo(7100);
    });
  }

  @Test
  void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() throws Exception {
    AzureTrace trace = trace();
    AzureWorkload first = AzureWorkload.of(trace, WorkloadLimits.DEFAULT, MinuteSpread.EXPONENTIAL, SpeedUp.REAL_TIME, 9, MemoryModel.PER_INVOCATION);
    AzureWorkload again = AzureWorkload.of(trace, WorkloadLimits.DEFAULT, MinuteSpread.EXPONENTIAL, SpeedUp.REAL_TIME, 9, MemoryModel.PER_INVOCATION);
    AzureWorkload other = AzureWorkload.of(trace, WorkloadLimits.DEFAULT, MinuteSpread.EXPONENTIAL, SpeedUp.REAL_TIME, 10, MemoryModel.PER_INVOCATION);
    assertThat(again.schedule()).isEqualTo(first.schedule());
    assertThat(other.schedule()).isNotEqualTo(first.schedule());
  }

  @Test
  void namesAreTheHashPrefixAndTellCollisionsApart() {
    List<FunctionKey> keys = List.of(new FunctionKey("o", "a1", "ABCDEF0123456789"), new FunctionKey("o", "a2", "abcdef0123456789"),
        new FunctionKey("o", "a", "not_hex!"));
    assertThat(TraceFunctionNames.of(keys).values())
        .containsExactly("trace-abcdef012345", "trace-abcdef012345-2", "trace-nothex");
  }

  @Test
  void theResidentModelHoldsTheAppsMedianMemoryAndAsksInvocationsForNoneWithTheSameDurations() throws Exception {
    AzureTrace trace = trace();
    AzureWorkload resident = AzureWorkload.of(trace, WorkloadLimits.DEFAULT, MinuteSpread.EXPONENTIAL, SpeedUp.REAL_TIME, 4,
        MemoryModel.RESIDENT);
    AzureWorkload perInvocation = AzureWorkload.of(trace, WorkloadLimits.DEFAULT, MinuteSpread.EXPONENTIAL,
        SpeedUp.REAL_TIME, 4, MemoryModel.PER_INVOCATION);

    // the app's memory percentiles put its median at 50 MB: 50 + 64 headroom, rounded up to 128
    assertThat(resident.deployed()).allSatisfy(f -> {
      assertThat(f.residentMb()).isEqualTo(50);
      assertThat(f.memoryMb()).isEqualTo(128);
      assertThat(f.deployJson()).contains("\"env\":{\"RESIDENT_MB\":\"50\"}");
    });
    assertThat(perInvocation.deployed()).allSatisfy(f -> assertThat(f.residentMb()).isZero());
    assertThat(resident.schedule().invocations()).allSatisfy(i -> assertThat(i.work().memoryMb()).isZero());
    assertThat(resident.schedule().invocations()).extracting(i -> i.work().durationMs())
        .containsExactlyElementsOf(perInvocation.schedule().invocations().stream().map(i -> i.work().durationMs()).toList());
  }

  @Test
  void theStreamedArrivalsAreTheScheduleInOrder() throws Exception {
    AzureWorkload workload = AzureWorkload.of(trace(), WorkloadLimits.DEFAULT, MinuteSpread.EXPONENTIAL, SpeedUp.REAL_TIME, 5,
        MemoryModel.RESIDENT);
    List<ScheduledInvocation> streamed = new java.util.ArrayList<>();
    workload.arrivals().forEachRemaining(streamed::add);

    assertThat(streamed).containsExactlyElementsOf(workload.schedule().invocations());
    assertThat(streamed).isSortedAccordingTo(java.util.Comparator.comparingLong(ScheduledInvocation::offsetNanos));
  }
}
