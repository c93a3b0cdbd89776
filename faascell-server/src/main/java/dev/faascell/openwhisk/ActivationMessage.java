package dev.faascell.openwhisk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.model.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The part of an OpenWhisk {@code ActivationMessage} (Message.scala, {@code jsonFormat12}) an invoker
 * needs, read from its JSON:
 * <pre>
 * {"transid":["sid",1700000000000],
 *  "action":{"path":"ns/pkg","name":"action","version":"0.0.1"},
 *  "revision":"1-abc", "user":{"subject":"…","namespace":{"name":"ns","uuid":"…"},"authkey":{"api_key":"…"},…},
 *  "activationId":"…", "rootControllerIndex":{"asString":"0","instanceType":"controller"},
 *  "blocking":true, "content":{…params…}, "initArgs":[…], "lockedArgs":{…}, "cause":"…", "traceContext":{…}}
 * </pre>
 *
 * @param transid         echoed verbatim in the completion (the controller matches on it)
 * @param actionPath      the action's package path, {@code ns} or {@code ns/pkg}
 * @param actionVersion   the action's SemVer, if given
 * @param content         the parameters, an object ({} when absent)
 * @param apiKey          the user's {@code authkey.api_key}, exported as {@code __OW_API_KEY}
 */
public record ActivationMessage(JsonNode transid, String actionPath, String actionName, Optional<String> actionVersion,
                                String subject, String namespace, Optional<String> apiKey, String activationId,
                                String controller, boolean blocking, ObjectNode content, List<String> initArgs,
                                boolean hasLockedArgs, Optional<String> cause, long transactionStartMillis) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The transaction id ({@code transid[0]}), as __OW_TRANSACTION_ID. */
  public String transactionId() {
    return transid.path(0).asText("");
  }

  /** {@code ns/pkg/action}: the action's path and name, as the {@code path} annotation carries it. */
  public String qualifiedName() {
    return actionPath + "/" + actionName;
  }

  public static ActivationMessage parse(byte[] value) {
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (IOException e) {
      throw new InvalidInputException("an ActivationMessage must be JSON: " + e.getMessage().lines().findFirst()
          .orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException("an ActivationMessage must be a JSON object");
    }
    JsonNode transid = root.get("transid");
    if (transid == null || !transid.isArray() || !transid.path(0).isTextual()) {
      throw new InvalidInputException("transid must be an array [id, start, …] (TransactionId.serdes)");
    }
    JsonNode action = object(root, "action");
    JsonNode user = object(root, "user");
    JsonNode controller = object(root, "rootControllerIndex");
    JsonNode content = root.get("content");
    if (content != null && !content.isNull() && !content.isObject()) {
      throw new InvalidInputException("content must be an object of parameters");
    }
    List<String> initArgs = new ArrayList<>();
    root.path("initArgs").forEach(arg -> initArgs.add(arg.asText()));
    JsonNode blocking = root.get("blocking");
    if (blocking == null || !blocking.isBoolean()) {
      throw new InvalidInputException("blocking must be true or false");
    }
    JsonNode apiKey = user.path("authkey").path("api_key");
    return new ActivationMessage(transid, text(action, "path"), text(action, "name"),
        optionalText(action, "version"), text(user, "subject"), text(object(user, "namespace"), "name"),
        apiKey.isTextual() ? Optional.of(apiKey.asText()) : Optional.empty(), text(root, "activationId"),
        text(controller, "asString"), blocking.asBoolean(),
        content instanceof ObjectNode params ? params : JSON.createObjectNode(), List.copyOf(initArgs),
        root.path("lockedArgs").size() > 0, optionalText(root, "cause"), transid.path(1).asLong(0));
  }

  private static JsonNode object(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isObject()) {
      throw new InvalidInputException("an ActivationMessage needs " + field + " as an object");
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new InvalidInputException("an ActivationMessage needs " + field + " as a non-empty string");
    }
    return value.asText();
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }
}
