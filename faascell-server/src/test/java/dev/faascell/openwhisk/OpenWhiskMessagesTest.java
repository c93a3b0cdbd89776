package dev.faascell.openwhisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvalidInputException;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.InvocationTrace;
import dev.faascell.model.RuntimeKind;
import dev.faascell.model.StartKind;
import dev.faascell.model.Timing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The OpenWhisk wire formats, against messages written as OpenWhisk's Message.scala serialises them. */
class OpenWhiskMessagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An ActivationMessage as ActivationMessage.serdes (jsonFormat12) writes it: None fields are left out. */
  static String activationMessage(String activationId, boolean blocking, String path, String name, String content) {
    return "{\"transid\":[\"sid_42\",1700000000000],"
        + "\"action\":{\"path\":\"" + path + "\",\"name\":\"" + name + "\",\"version\":\"0.0.3\"},"
        + "\"revision\":\"1-0f3ee9ba\","
        + "\"user\":{\"subject\":\"guest-subject\",\"namespace\":{\"name\":\"guest\","
        + "\"uuid\":\"23bc46b1-71f6-4ed5-8c54-816aa4f8c502\"},"
        + "\"authkey\":{\"api_key\":\"23bc46b1-71f6-4ed5-8c54-816aa4f8c502:123zO3xZCLrMN6v2BKK1dX\"},"
        + "\"rights\":[\"READ\",\"PUT\",\"DELETE\",\"ACTIVATE\"],\"limits\":{}},"
        + "\"activationId\":\"" + activationId + "\","
        + "\"rootControllerIndex\":{\"asString\":\"0\",\"instanceType\":\"controller\"},"
        + "\"blocking\":" + blocking + ","
        + (content == null ? "" : "\"content\":" + content + ",")
        + "\"initArgs\":[\"GREETING\"],\"lockedArgs\":{}}";
  }

  private static final FunctionSpec ACTION = new FunctionSpec(FunctionName.of("greet"), RuntimeKind.PYTHON, "main.main",
      CodeBundle.file("main.py", "def main(p):\n    return p\n".getBytes(StandardCharsets.UTF_8)), 128, 1,
      Duration.ofSeconds(30), Map.of(OpenWhiskActions.NAME_ENV, "guest/demo/hello"));

  @Test
  void anActivationMessageIsReadAsOpenWhiskWritesIt() {
    ActivationMessage msg = ActivationMessage.parse(activationMessage("a1", true, "guest/demo", "hello",
        "{\"name\":\"FaaSCell\",\"GREETING\":\"hi\"}").getBytes(StandardCharsets.UTF_8));
    assertThat(msg.transactionId()).isEqualTo("sid_42");
    assertThat(msg.transactionStartMillis()).isEqualTo(1700000000000L);
    assertThat(msg.qualifiedName()).isEqualTo("guest/demo/hello");
    assertThat(msg.actionVersion()).hasValue("0.0.3");
    assertThat(msg.controller()).isEqualTo("0");
    assertThat(msg.blocking()).isTrue();
    assertThat(msg.namespace()).isEqualTo("guest");
    assertThat(msg.apiKey()).hasValueSatisfying(key -> assertThat(key).startsWith("23bc46b1"));
    assertThat(msg.cause()).isEmpty();
  }

  @Test
  void aMessageWithoutTheRequiredFieldsIsRefusedSayingWhich() {
    assertThatThrownBy(() -> ActivationMessage.parse("{\"transid\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("transid");
    String noBlocking = activationMessage("a", true, "guest", "x", null).replace("\"blocking\":true,", "");
    assertThatThrownBy(() -> ActivationMessage.parse(noBlocking.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("blocking");
  }

  @Test
  void theActionGetsItsParametersAndTheOwEnvironmentWithInitArgsExported() throws Exception {
    ActivationMessage msg = ActivationMessage.parse(activationMessage("a2", false, "guest/demo", "hello",
        "{\"name\":\"FaaSCell\",\"GREETING\":\"hi\"}").getBytes(StandardCharsets.UTF_8));
    JsonNode envelope = JSON.readTree(OpenWhiskActions.payload(msg, ACTION));
    assertThat(envelope.path("params").toString()).isEqualTo("{\"name\":\"FaaSCell\"}");
    JsonNode env = envelope.path("env");
    assertThat(env.path("GREETING").asText()).isEqualTo("hi");
    assertThat(env.path("__OW_ACTION_NAME").asText()).isEqualTo("/guest/demo/hello");
    assertThat(env.path("__OW_ACTIVATION_ID").asText()).isEqualTo("a2");
    assertThat(env.path("__OW_NAMESPACE").asText()).isEqualTo("guest");
    assertThat(env.path("__OW_TRANSACTION_ID").asText()).isEqualTo("sid_42");
    assertThat(env.path("__OW_ACTION_VERSION").asText()).isEqualTo("0.0.3");
    assertThat(env.has("__OW_API_KEY")).isTrue();
    assertThat(env.path("__OW_DEADLINE").asLong()).isGreaterThan(System.currentTimeMillis());
  }

  @Test
  void resultsMapToOpenWhisksStatusCodes() {
    assertThat(OpenWhiskActions.response(completed("{\"ok\":true}"), ACTION).statusCode()).isEqualTo(0);
    assertThat(OpenWhiskActions.response(completed("{\"error\":\"no\"}"), ACTION).statusCode()).isEqualTo(1);
    var notAnObject = OpenWhiskActions.response(completed("[1,2]"), ACTION);
    assertThat(notAnObject.statusCode()).isEqualTo(2);
    assertThat(notAnObject.result().path("error").asText()).isEqualTo("The action did not return a dictionary.");
    assertThat(OpenWhiskActions.response(failed(FailureKind.FUNCTION_ERROR), ACTION).statusCode()).isEqualTo(2);
    var timeout = OpenWhiskActions.response(failed(FailureKind.TIMEOUT), ACTION);
    assertThat(timeout.statusCode()).isEqualTo(2);
    assertThat(timeout.timedOut()).isTrue();
    assertThat(OpenWhiskActions.response(failed(FailureKind.VM_FAILURE), ACTION).isWhiskError()).isTrue();
  }

  @Test
  void completionsCarryTheWhiskActivationTheTransidVerbatimAndTheInvoker() throws Exception {
    ActivationMessage msg = ActivationMessage.parse(activationMessage("a3", true, "guest/demo", "hello", "{}")
        .getBytes(StandardCharsets.UTF_8));
    var invoker = new OpenWhiskMessages.Invoker(7, 2048, "faascell-n1");
    var response = OpenWhiskActions.response(completed("{\"greeting\":\"hi\"}"), ACTION);
    var activation = OpenWhiskMessages.activation(msg, response, new OpenWhiskMessages.Run("python:3", 128, 30000,
        1000, 1250, OptionalLong.of(200), 5, List.of("2026-01-01T00:00:00Z stderr: hello")));
    JsonNode combined = JSON.readTree(OpenWhiskMessages.combined(msg, activation, false, invoker));
    assertThat(combined.path("transid").toString()).isEqualTo("[\"sid_42\",1700000000000]");
    assertThat(combined.path("isSystemError").asBoolean()).isFalse();
    assertThat(combined.path("instance").toString()).isEqualTo("{\"instance\":7,\"userMemory\":\"2048 MB\","
        + "\"instanceType\":\"invoker\",\"tags\":[],\"dedicatedNamespaces\":[],\"uniqueName\":\"faascell-n1\","
        + "\"displayedName\":\"faascell\"}");
    JsonNode whisk = combined.path("response");
    assertThat(whisk.path("namespace").asText()).isEqualTo("guest");
    assertThat(whisk.path("name").asText()).isEqualTo("hello");
    assertThat(whisk.path("subject").asText()).isEqualTo("guest-subject");
    assertThat(whisk.path("activationId").asText()).isEqualTo("a3");
    assertThat(whisk.path("start").asLong()).isEqualTo(1000);
    assertThat(whisk.path("end").asLong()).isEqualTo(1250);
    assertThat(whisk.path("duration").asLong()).isEqualTo(250);
    assertThat(whisk.path("response").toString()).isEqualTo("{\"statusCode\":0,\"result\":{\"greeting\":\"hi\"}}");
    assertThat(whisk.path("version").asText()).isEqualTo("0.0.3");
    assertThat(whisk.path("publish").asBoolean()).isFalse();
    assertThat(whisk.path("logs").get(0).asText()).endsWith("stderr: hello");
    assertThat(whisk.path("annotations").findValuesAsText("key"))
        .containsExactly("limits", "path", "kind", "timeout", "initTime", "waitTime");
    assertThat(whisk.path("annotations").toString()).contains("{\"key\":\"path\",\"value\":\"guest/demo/hello\"}",
        "{\"key\":\"initTime\",\"value\":200}", "{\"key\":\"kind\",\"value\":\"python:3\"}",
        "{\"key\":\"limits\",\"value\":{\"concurrency\":1,\"logs\":10,\"memory\":128,\"timeout\":30000}}");

    JsonNode completion = JSON.readTree(OpenWhiskMessages.completion(msg, true, invoker));
    assertThat(completion.properties()).extracting(Map.Entry::getKey)
        .containsExactly("transid", "activationId", "isSystemError", "instance");
    assertThat(completion.path("isSystemError").asBoolean()).isTrue();

    JsonNode ping = OpenWhiskMessages.ping(invoker);
    assertThat(ping.path("name").path("instance").asInt()).isEqualTo(7);
    assertThat(ping.path("isEnabled").asBoolean()).isTrue();
  }

  private static InvocationResult completed(String output) {
    return new InvocationResult.Completed("i", ACTION.name(), output.getBytes(StandardCharsets.UTF_8), "",
        StartKind.WARM, "vm-1", Timing.NONE, trace());
  }

  private static InvocationResult failed(FailureKind kind) {
    return new InvocationResult.Failed("i", ACTION.name(), kind, "it broke", "", StartKind.WARM, "vm-1", Timing.NONE,
        trace());
  }

  private static InvocationTrace trace() {
    return new InvocationTrace(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 0, 0,
        dev.faascell.model.HostUsage.NONE);
  }
}
