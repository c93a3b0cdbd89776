package dev.faascell.source.kafka;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.model.FunctionName;
import dev.faascell.model.InvalidInputException;
import java.io.IOException;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An invocation request record on the invocations topic (docs/CLUSTER.md): the key is the function's
 * name, the value
 * {@code {"invocationId":"…","function":"…","replyTopic":"…","payload":<JSON>}} — or
 * {@code "payloadBase64":"…"} for a payload that is not JSON (an exec function's stdin).
 */
public record InvocationRequest(String invocationId, FunctionName function, byte[] payload, String replyTopic) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Pattern INVOCATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Set<String> FIELDS = Set.of("invocationId", "function", "replyTopic", "payload", "payloadBase64");

  public InvocationRequest {
    if (invocationId == null || !INVOCATION_ID.matcher(invocationId).matches()) {
      throw new InvalidInputException("invocationId must be 1 to 128 of [A-Za-z0-9._:-], got '" + invocationId + "'");
    }
    if (replyTopic == null || !TOPIC.matcher(replyTopic).matches()) {
      throw new InvalidInputException("replyTopic must be a Kafka topic name, got '" + replyTopic + "'");
    }
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The record's value; the payload is embedded as JSON when it is JSON. */
  public byte[] encode() {
    ObjectNode root = JSON.createObjectNode().put("invocationId", invocationId).put("function", function.value())
        .put("replyTopic", replyTopic);
    JsonNode json = parseJson(payload);
    if (json != null) {
      root.set("payload", json);
    } else if (payload.length > 0) {
      root.put("payloadBase64", Base64.getEncoder().encodeToString(payload));
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a record; {@link InvalidInputException} says what is wrong with it. The key must be the
   * function, since it is what places the request on its function's partition.
   */
  public static InvocationRequest decode(String key, byte[] value) {
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (IOException e) {
      throw new InvalidInputException("an invocation request must be a JSON object: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException("an invocation request must be a JSON object");
    }
    root.fieldNames().forEachRemaining(field -> {
      if (!FIELDS.contains(field)) {
        throw new InvalidInputException("unknown field '" + field + "' in an invocation request; known: " + FIELDS);
      }
    });
    FunctionName function = FunctionName.of(text(root, "function"));
    if (!function.value().equals(key)) {
      throw new InvalidInputException("the record key must be the function's name '" + function.value() + "', got '"
          + key + "'");
    }
    if (root.has("payload") && root.has("payloadBase64")) {
      throw new InvalidInputException("give payload or payloadBase64, not both");
    }
    byte[] payload;
    try {
      payload = root.has("payload") ? JSON.writeValueAsBytes(root.get("payload"))
          : root.has("payloadBase64") ? Base64.getDecoder().decode(text(root, "payloadBase64")) : new byte[0];
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("payloadBase64 is not base64: " + e.getMessage());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new InvocationRequest(text(root, "invocationId"), function, payload, text(root, "replyTopic"));
  }

  /** The reply topic of a record that may not decode, so that even a bad request gets its answer. */
  public static String replyTopicOf(byte[] value) {
    try {
      JsonNode topic = JSON.readTree(value).path("replyTopic");
      return topic.isTextual() && TOPIC.matcher(topic.asText()).matches() ? topic.asText() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The invocation id of a record that may not decode. */
  public static String invocationIdOf(byte[] value) {
    try {
      JsonNode id = JSON.readTree(value).path("invocationId");
      return id.isTextual() && INVOCATION_ID.matcher(id.asText()).matches() ? id.asText() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.isTextual()) {
      throw new InvalidInputException("an invocation request needs \"" + field + "\" as a string");
    }
    return node.asText();
  }

  private static JsonNode parseJson(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }
}
