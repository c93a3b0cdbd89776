package dev.faascell.openwhisk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;

/**
 * The messages an OpenWhisk invoker sends, written as Apache OpenWhisk's spray-json formats write
 * them (field names and shapes from Message.scala, WhiskActivation.scala, ActivationResult.scala and
 * InstanceId.scala; docs/CLUSTER.md cites the sources).
 */
public final class OpenWhiskMessages {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** ActivationResponse status codes (ActivationResult.scala). */
  public static final int SUCCESS = 0;
  public static final int APPLICATION_ERROR = 1;
  public static final int DEVELOPER_ERROR = 2;
  public static final int WHISK_ERROR = 3;

  private OpenWhiskMessages() {
  }

  /** This invoker, as InvokerInstanceId.serdes writes it; {@code userMemory} is a ByteSize string ("2048 MB"). */
  public record Invoker(int instance, int userMemoryMb, String uniqueName) {
    ObjectNode json() {
      ObjectNode node = JSON.createObjectNode().put("instance", instance).put("userMemory", userMemoryMb + " MB")
          .put("instanceType", "invoker");
      node.putArray("tags");
      node.putArray("dedicatedNamespaces");
      return node.put("uniqueName", uniqueName).put("displayedName", "faascell");
    }
  }

  /** An ActivationResponse: its status code and result ({@code {"error": …}} for every failure). */
  public record Response(int statusCode, JsonNode result, boolean timedOut) {
    public boolean isWhiskError() {
      return statusCode == WHISK_ERROR;
    }

    static Response error(int statusCode, String message) {
      return new Response(statusCode, JSON.createObjectNode().put("error", message), false);
    }
  }

  /** What the invoker knows of the run, for the activation record and its annotations. */
  public record Run(String kind, int memoryMb, long timeoutMs, long startMillis, long endMillis,
                    OptionalLong initTimeMs, long waitTimeMs, List<String> logs) {}

  /**
   * The WhiskActivation (jsonFormat13: namespace, name, subject, activationId, start, end, cause,
   * response, logs, version, publish, annotations, duration), with the annotations ContainerProxy's
   * constructWhiskActivation adds: limits, path, kind, timeout, initTime (when the action was
   * initialised), waitTime.
   */
  public static ObjectNode activation(ActivationMessage msg, Response response, Run run) {
    ObjectNode activation = JSON.createObjectNode()
        .put("namespace", msg.namespace())
        .put("name", msg.actionName())
        .put("subject", msg.subject())
        .put("activationId", msg.activationId())
        .put("start", run.startMillis())
        .put("end", run.endMillis());
    msg.cause().ifPresent(cause -> activation.put("cause", cause));
    activation.putObject("response").put("statusCode", response.statusCode()).set("result", response.result());
    ArrayNode logs = activation.putArray("logs");
    run.logs().forEach(logs::add);
    activation.put("version", msg.actionVersion().orElse("0.0.1")).put("publish", false);
    ArrayNode annotations = activation.putArray("annotations");
    annotation(annotations, "limits", JSON.createObjectNode().put("concurrency", 1).put("logs", 10)
        .put("memory", run.memoryMb()).put("timeout", run.timeoutMs()));
    annotation(annotations, "path", JSON.getNodeFactory().textNode(msg.qualifiedName()));
    annotation(annotations, "kind", JSON.getNodeFactory().textNode(run.kind()));
    annotation(annotations, "timeout", JSON.getNodeFactory().booleanNode(response.timedOut()));
    run.initTimeMs().ifPresent(init -> annotation(annotations, "initTime", JSON.getNodeFactory().numberNode(init)));
    annotation(annotations, "waitTime", JSON.getNodeFactory().numberNode(run.waitTimeMs()));
    return activation.put("duration", run.endMillis() - run.startMillis());
  }

  /** CombinedCompletionAndResultMessage (jsonFormat4: transid, response, isSystemError, instance): blocking activations. */
  public static byte[] combined(ActivationMessage msg, ObjectNode activation, boolean systemError, Invoker invoker) {
    ObjectNode message = JSON.createObjectNode();
    message.set("transid", msg.transid());
    message.set("response", activation);
    message.put("isSystemError", systemError).set("instance", invoker.json());
    return bytes(message);
  }

  /** CompletionMessage (jsonFormat4: transid, activationId, isSystemError, instance): non-blocking ones. */
  public static byte[] completion(ActivationMessage msg, boolean systemError, Invoker invoker) {
    ObjectNode message = JSON.createObjectNode();
    message.set("transid", msg.transid());
    message.put("activationId", msg.activationId()).put("isSystemError", systemError).set("instance", invoker.json());
    return bytes(message);
  }

  /** PingMessage (jsonFormat(PingMessage.apply, "name", "isEnabled")): the invoker is alive. */
  public static ObjectNode ping(Invoker invoker) {
    ObjectNode message = JSON.createObjectNode();
    message.set("name", invoker.json());
    return message.put("isEnabled", true);
  }

  private static void annotation(ArrayNode annotations, String key, JsonNode value) {
    annotations.addObject().put("key", key).set("value", value);
  }

  private static byte[] bytes(ObjectNode message) {
    try {
      return JSON.writeValueAsBytes(message);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
