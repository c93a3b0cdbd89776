package dev.faascell.simulator.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.faascell.replay.arrivals.MinuteSpread;
import dev.faascell.replay.arrivals.SpeedUp;
import dev.faascell.replay.azure.AzureTraceReader;
import dev.faascell.replay.azure.AzureWorkload;
import dev.faascell.replay.azure.FunctionSelection;
import dev.faascell.replay.report.PolicyStudyReport;
import dev.faascell.replay.workload.MemoryModel;
import dev.faascell.replay.workload.WorkloadLimits;
import dev.faascell.simulator.calibration.Calibration;
import dev.faascell.simulator.generator.TraceGenerator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyStudyTest {
  @TempDir
  Path dir;

  @Test
  void keepingVmsLongerTradesIdleMemoryForFewerNewVmsAndEveryRunIsAPointOfTheReport() throws Exception {
    TraceGenerator.Written day = new TraceGenerator(40, 3).write(dir, 1);
    // the first six hours of the day
    var trace = new AzureTraceReader().read(day.files(), FunctionSelection.all(), 1, OptionalInt.of(360));
    AzureWorkload workload = AzureWorkload.of(trace, WorkloadLimits.DEFAULT, MinuteSpread.EXPONENTIAL, SpeedUp.REAL_TIME,
        3, MemoryModel.RESIDENT);
    PolicyStudy study = new PolicyStudy(ConfigFactory.parseMap(Map.of("faascell.node.memory-mb", 65536,
        "faascell.node.start-slots", 2)), Calibration.shipped(), 3, workload.deployed(), workload::arrivals,
        Duration.ofHours(6));
    List<StudyRun> runs = List.of(new StudyRun("none", "", Map.of("faascell.keep-alive.policy", "none")),
        new StudyRun("ttl", "1m", Map.of("faascell.keep-alive.policy", "ttl", "faascell.keep-alive.ttl", "1m")),
        new StudyRun("ttl", "60m", Map.of("faascell.keep-alive.policy", "ttl", "faascell.keep-alive.ttl", "60m")),
        new StudyRun("hybrid-histogram", "", Map.of("faascell.keep-alive.policy", "hybrid-histogram")));
    List<PolicyStudyReport.Point> heard = new ArrayList<>();

    List<PolicyStudyReport.Point> points = study.run(runs, 2, heard::add);

    assertThat(points).extracting(PolicyStudyReport.Point::label)
        .containsExactly("none", "ttl 1m", "ttl 60m", "hybrid-histogram");
    assertThat(heard).hasSize(4);
    PolicyStudyReport.Point none = points.get(0);
    PolicyStudyReport.Point ttl1 = points.get(1);
    PolicyStudyReport.Point ttl60 = points.get(2);
    assertThat(points).allSatisfy(p -> assertThat(p.invocations()).isEqualTo(trace.totalInvocations()));
    // "none" stops an idle VM at the next keep-alive check (1 s): an invocation in between still finds it
    assertThat(none.idleGbSeconds()).isLessThan(ttl1.idleGbSeconds());
    assertThat(ttl1.coldOrRestoreRate()).isLessThan(none.coldOrRestoreRate());
    assertThat(ttl60.coldOrRestoreRate()).isLessThan(ttl1.coldOrRestoreRate());
    assertThat(ttl60.idleGbSeconds()).isGreaterThan(ttl1.idleGbSeconds());
    // a second study of the same runs, one at a time, is the same study
    assertThat(study.run(runs, 1, p -> { }))
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("cpuSeconds").isEqualTo(points);

    String html = PolicyStudyReport.render("study", points, Map.of("trace", "generated"));
    assertThat(html).contains("<svg", PolicyStudyReport.FIGURE_TITLE, "60m", "hybrid-histogram").doesNotContain("<script");
  }
}
