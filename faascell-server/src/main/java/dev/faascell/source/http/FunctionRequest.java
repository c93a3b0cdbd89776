package dev.faascell.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.config.FunctionLimits;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.Handlers;
import dev.faascell.model.AllowRule;
import dev.faascell.model.NetworkPolicy;
import dev.faascell.model.RuntimeKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parses the body of {@code PUT /v1/functions/{name}} (docs/API.md) into a {@link FunctionSpec},
 * with a message naming the field for anything wrong.
 */
public final class FunctionRequest {
  private static final Set<String> FIELDS = Set.of("runtime", "handler", "code", "memoryMb", "vcpus", "timeoutMs", "env",
      "network");
  private static final Set<String> NETWORK_FIELDS = Set.of("mode", "allow", "bandwidthMbit");
  private static final Set<String> CODE_FIELDS = Set.of("file", "text", "base64", "zipBase64");

  private FunctionRequest() {
  }

  public static FunctionSpec parse(FunctionName name, byte[] body, FunctionLimits limits, int maxCodeBytes,
                            ObjectMapper json) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("the body is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest("the body must be a JSON object (see docs/API.md)");
    }
    onlyKnown(root, FIELDS, "");
    RuntimeKind runtime = RuntimeKind.parse(requiredText(root, "runtime"));
    CodeBundle code = code(root.get("code"), runtime, maxCodeBytes);
    String handler = optionalText(root, "handler", Handlers.defaultFor(runtime, code));
    int memoryMb = optionalInt(root, "memoryMb", limits.defaultMemoryMb());
    int vcpus = optionalInt(root, "vcpus", limits.defaultVcpus());
    long timeoutMs = optionalLong(root, "timeoutMs", limits.defaultTimeout().toMillis());
    return new FunctionSpec(name, runtime, handler, code, memoryMb, vcpus, Duration.ofMillis(timeoutMs), env(root.get("env")),
        network(root.get("network")));
  }

  /** The body that {@link #parse} reads back into {@code spec}: how a spec travels between nodes. */
  public static com.fasterxml.jackson.databind.node.ObjectNode body(FunctionSpec spec, ObjectMapper json) {
    var body = json.createObjectNode().put("runtime", spec.runtime().wireName()).put("handler", spec.handler())
        .put("memoryMb", spec.memoryMb()).put("vcpus", spec.vcpus()).put("timeoutMs", spec.timeout().toMillis());
    var env = body.putObject("env");
    spec.env().forEach(env::put);
    if (spec.network().hasNetwork()) {
      writeNetwork(spec.network(), body.putObject("network"));
    }
    String code = Base64.getEncoder().encodeToString(spec.code().bytes());
    if (spec.code().format() == CodeBundle.Format.ZIP) {
      body.putObject("code").put("zipBase64", code);
    } else {
      body.putObject("code").put("file", spec.code().fileName()).put("base64", code);
    }
    return body;
  }

  private static CodeBundle code(JsonNode code, RuntimeKind runtime, int maxCodeBytes) {
    if (code == null || !code.isObject()) {
      throw ApiException.badRequest("code is required: {\"file\": \"main.py\", \"text\": \"...\"}, "
          + "{\"file\": ..., \"base64\": \"...\"} or {\"zipBase64\": \"...\"}");
    }
    onlyKnown(code, CODE_FIELDS, "code.");
    int forms = (code.has("text") ? 1 : 0) + (code.has("base64") ? 1 : 0) + (code.has("zipBase64") ? 1 : 0);
    if (forms != 1) {
      throw ApiException.badRequest("code needs exactly one of text, base64 or zipBase64");
    }
    if (code.has("zipBase64")) {
      return CodeBundle.zip(limited(decode(code, "zipBase64"), maxCodeBytes));
    }
    String file = optionalText(code, "file", Handlers.defaultFileName(runtime));
    byte[] bytes = code.has("text") ? requiredText(code, "text").getBytes(StandardCharsets.UTF_8) : decode(code, "base64");
    return CodeBundle.file(file, limited(bytes, maxCodeBytes));
  }

  private static byte[] decode(JsonNode node, String field) {
    try {
      return Base64.getDecoder().decode(requiredText(node, field));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("code." + field + " is not valid base64: " + e.getMessage());
    }
  }

  private static byte[] limited(byte[] code, int maxCodeBytes) {
    if (code.length > maxCodeBytes) {
      throw ApiException.badRequest("the code is " + code.length + " bytes; the limit is " + maxCodeBytes
          + " (faascell.api.max-code-bytes)");
    }
    return code;
  }

  private static Map<String, String> env(JsonNode env) {
    Map<String, String> values = new LinkedHashMap<>();
    if (env == null || env.isNull()) {
      return values;
    }
    if (!env.isObject()) {
      throw ApiException.badRequest("env must be an object of strings");
    }
    for (Map.Entry<String, JsonNode> entry : env.properties()) {
      if (!entry.getValue().isTextual()) {
        throw ApiException.badRequest("env." + entry.getKey() + " must be a string");
      }
      values.put(entry.getKey(), entry.getValue().asText());
    }
    return values;
  }

  /** The network field as {@link #parse} reads it (and the API shows it). */
  static void writeNetwork(NetworkPolicy policy, com.fasterxml.jackson.databind.node.ObjectNode node) {
    node.put("mode", policy.mode().wireName());
    if (policy.hasNetwork()) {
      var allow = node.putArray("allow");
      policy.allow().forEach(rule -> allow.add(rule.toString()));
      node.put("bandwidthMbit", policy.bandwidthMbit());
    }
  }

  /** {@code {"mode": "egress", "allow": ["10.1.2.0/24:443"], "bandwidthMbit": 100}}; absent is none. */
  private static NetworkPolicy network(JsonNode network) {
    if (network == null || network.isNull()) {
      return NetworkPolicy.NONE;
    }
    if (!network.isObject()) {
      throw ApiException.badRequest("network must be an object: {\"mode\": \"egress\", \"allow\": [\"10.1.2.0/24:443\"]}");
    }
    onlyKnown(network, NETWORK_FIELDS, "network.");
    NetworkPolicy.Mode mode = NetworkPolicy.Mode.parse(network.has("mode") ? requiredText(network, "mode") : "none");
    JsonNode allow = network.get("allow");
    List<String> rules = new ArrayList<>();
    if (allow != null && !allow.isNull()) {
      if (!allow.isArray()) {
        throw ApiException.badRequest("network.allow must be an array of \"CIDR[:PORT]\" strings");
      }
      for (JsonNode rule : allow) {
        if (!rule.isTextual()) {
          throw ApiException.badRequest("network.allow must be an array of \"CIDR[:PORT]\" strings");
        }
        rules.add(rule.asText());
      }
    }
    return new NetworkPolicy(mode, rules.stream().map(AllowRule::parse).toList(),
        optionalInt(network, "bandwidthMbit", 0));
  }

  private static void onlyKnown(JsonNode node, Set<String> known, String prefix) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        throw ApiException.badRequest("unknown field '" + prefix + field + "'; known fields: "
            + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  private static String requiredText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw ApiException.badRequest(field + " is required and must be a string");
    }
    return value.asText();
  }

  private static String optionalText(JsonNode node, String field, String fallback) {
    return node.has(field) ? requiredText(node, field) : fallback;
  }

  private static int optionalInt(JsonNode node, String field, int fallback) {
    long value = optionalLong(node, field, fallback);
    if (value != (int) value) {
      throw ApiException.badRequest(field + " is out of range");
    }
    return (int) value;
  }

  private static long optionalLong(JsonNode node, String field, long fallback) {
    JsonNode value = node.get(field);
    if (value == null) {
      return fallback;
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber()) {
      throw ApiException.badRequest(field + " must be an integer");
    }
    return value.asLong();
  }
}
