package dev.faascell.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.InvocationTrace;
import dev.faascell.testing.ActorNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

/** Trace records: stages in order that add up to the total, in the ring and the JSONL file. */
class TraceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyInvocationLeavesAnOrderedTraceWhoseStagesSumToTheTotal() throws Exception {
    try (ActorNode node = ActorNode.standard()) {
      var function = ActorNode.function("echo", "echo");
      node.invokeAndWait(function, "cold");
      node.invokeAndWait(function, "warm");
      node.invokeAndWait(ActorNode.function("failing", "fail"), "x");

      TestProbe<List<InvocationResult>> probe = node.kit.createTestProbe();
      node.sink.tell(new Sink.Query(Optional.empty(), 0, 10, probe.getRef()));
      List<InvocationResult> results = probe.receiveMessage();
      assertThat(results).hasSize(3);
      for (InvocationResult result : results) {
        InvocationTrace trace = result.trace();
        long[] stamps = trace.stamps();
        for (int i = 1; i < stamps.length; i++) {
          assertThat(stamps[i]).as(InvocationTrace.STAGES[i - 1]).isGreaterThanOrEqualTo(stamps[i - 1]);
        }
        JsonNode json = JSON.readTree(TraceJson.of(result));
        long sum = 0;
        for (JsonNode stage : json.path("stagesUs")) {
          sum += stage.asLong();
        }
        assertThat(sum).isEqualTo(json.path("totalUs").asLong());
        assertThat(json.path("totalUs").asLong() * 1000).isCloseTo(result.timing().totalNanos(),
            org.assertj.core.data.Offset.offset(1_000_000L));
        assertThat(json.path("guestExecUs").asLong()).isPositive();
        assertThat(json.path("host").path("cpuUs").asLong()).isPositive();
      }
      JsonNode cold = JSON.readTree(TraceJson.of(results.get(0)));
      assertThat(cold.path("startKind").asText()).isEqualTo("cold");
      assertThat(cold.path("startupUs").path("boot").asLong()).isPositive();
      assertThat(JSON.readTree(TraceJson.of(results.get(2))).path("outcome").asText()).isEqualTo("function-error");

      node.sink.tell(new Sink.Query(Optional.of(function.name()), 0, 1, probe.getRef()));
      assertThat(probe.receiveMessage()).singleElement()
          .satisfies(r -> assertThat(r.invocationId()).isEqualTo(results.get(1).invocationId()));

      probe.awaitAssert(Duration.ofSeconds(3), () -> {
        assertThat(Files.readAllLines(node.traceFile())).hasSize(3);
        return null;
      });
    }
  }
}
