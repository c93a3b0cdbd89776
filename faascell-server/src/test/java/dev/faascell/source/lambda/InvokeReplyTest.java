package dev.faascell.source.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.Invocation;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.InvocationTrace;
import dev.faascell.model.RuntimeKind;
import dev.faascell.model.StartKind;
import dev.faascell.model.Timing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvokeReplyTest {
  private static final FunctionSpec FUNCTION = new FunctionSpec(FunctionName.of("f"), RuntimeKind.PYTHON, "main.handle",
      CodeBundle.file("main.py", new byte[0]), 128, 1, Duration.ofSeconds(3), Map.of());
  private static final Invocation INVOCATION = Invocation.received("id-1", FUNCTION, new byte[0], 0);
  private static final Timing TIMING = new Timing(0, 0, 2_000_000_000L, 0, 500_000_000L, 12_340_000L, 10_000_000L, 0);

  @Test
  void aResultIs200WithTheFunctionsOutputAndATailOfItsLog() throws Exception {
    var completed = new InvocationResult.Completed("id-1", FUNCTION.name(), "{\"ok\":1}".getBytes(StandardCharsets.UTF_8),
        "printed\n", StartKind.COLD, "vm-1", TIMING, InvocationTrace.early(INVOCATION));
    InvokeReply reply = InvokeReply.of(completed, RuntimeKind.PYTHON, 128, true, 1);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":1}");
    assertThat(reply.headers()).containsEntry("X-Amz-Executed-Version", "$LATEST").doesNotContainKey("X-Amz-Function-Error");
    String log = new String(Base64.getDecoder().decode(reply.headers().get("X-Amz-Log-Result")), StandardCharsets.UTF_8);
    assertThat(log).startsWith("START RequestId: id-1").contains("printed\nEND RequestId: id-1")
        .contains("Duration: 12.34 ms").contains("Init Duration: 2500.00 ms");
  }

  @Test
  void theLogTailIsTheLast4Kb() {
    var completed = new InvocationResult.Completed("id-1", FUNCTION.name(), new byte[0], "x".repeat(10_000),
        StartKind.WARM, "vm-1", TIMING, InvocationTrace.early(INVOCATION));
    String tail = InvokeReply.of(completed, RuntimeKind.PYTHON, 128, true, 1).headers().get("X-Amz-Log-Result");
    String log = new String(Base64.getDecoder().decode(tail), StandardCharsets.UTF_8);
    assertThat(log).hasSize(InvokeReply.TAIL_BYTES).endsWith("Memory Size: 128 MB\n").doesNotContain("Init Duration");
  }

  @Test
  void aPythonTracebackBecomesLambdasErrorDocument() throws Exception {
    String traceback = "Traceback (most recent call last):\n  File \"/fn/main.py\", line 3, in handler\n"
        + "    raise ValueError('bad input')\nValueError: bad input\n";
    InvokeReply reply = InvokeReply.of(failed(FailureKind.FUNCTION_ERROR, traceback), RuntimeKind.PYTHON, 128, false, 1);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers()).containsEntry("X-Amz-Function-Error", "Unhandled");
    var error = new ObjectMapper().readTree(reply.body());
    assertThat(error.path("errorType").asText()).isEqualTo("ValueError");
    assertThat(error.path("errorMessage").asText()).isEqualTo("bad input");
    assertThat(error.path("stackTrace").get(0).asText()).startsWith("File \"/fn/main.py\", line 3");
  }

  @Test
  void aNodeStackBecomesLambdasErrorDocument() throws Exception {
    String stack = "TypeError: Cannot read properties of undefined\n    at exports.handler (/fn/index.js:2:9)";
    var error = new ObjectMapper().readTree(
        InvokeReply.of(failed(FailureKind.FUNCTION_ERROR, stack), RuntimeKind.NODEJS, 128, false, 1).body());
    assertThat(error.path("errorType").asText()).isEqualTo("TypeError");
    assertThat(error.path("errorMessage").asText()).isEqualTo("Cannot read properties of undefined");
    assertThat(error.path("stackTrace").get(0).asText()).isEqualTo("at exports.handler (/fn/index.js:2:9)");
  }

  @Test
  void timeoutsAndDeadVmsAreTheFunctionsErrors() throws Exception {
    var timeout = new ObjectMapper().readTree(
        InvokeReply.of(failed(FailureKind.TIMEOUT, "timed out after 3000 ms"), RuntimeKind.NODEJS, 128, false, 1).body());
    assertThat(timeout.path("errorType").asText()).isEqualTo("Sandbox.Timedout");
    var init = InvokeReply.of(failed(FailureKind.INIT_ERROR, "Traceback...\nModuleNotFoundError: No module named 'x'"),
        RuntimeKind.PYTHON, 128, false, 1);
    assertThat(init.headers()).containsEntry("X-Amz-Function-Error", "Unhandled");
  }

  @Test
  void aFullOrSlowQueueIsThrottlingWithRetryAfter() {
    for (FailureKind kind : new FailureKind[] {FailureKind.QUEUE_FULL, FailureKind.QUEUE_TIMEOUT}) {
      assertThatThrownBy(() -> InvokeReply.of(failed(kind, "busy"), RuntimeKind.PYTHON, 128, false, 2))
          .isInstanceOfSatisfying(LambdaError.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.type()).isEqualTo("TooManyRequestsException");
            assertThat(e.retryAfterSeconds()).isEqualTo(2);
          });
    }
    assertThatThrownBy(() -> InvokeReply.of(failed(FailureKind.FUNCTION_GONE, "deleted"), RuntimeKind.PYTHON, 128, false, 2))
        .isInstanceOfSatisfying(LambdaError.class, e -> assertThat(e.type()).isEqualTo("ResourceNotFoundException"));
    assertThatThrownBy(() -> InvokeReply.of(failed(FailureKind.INTERNAL, "bug"), RuntimeKind.PYTHON, 128, false, 2))
        .isInstanceOfSatisfying(LambdaError.class, e -> assertThat(e.status()).isEqualTo(500));
  }

  private static InvocationResult.Failed failed(FailureKind kind, String message) {
    return new InvocationResult.Failed("id-1", FUNCTION.name(), kind, message, "", StartKind.WARM, "vm-1", TIMING,
        InvocationTrace.early(INVOCATION));
  }
}
