package dev.faascell.source.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.config.FunctionLimits;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.Handlers;
import dev.faascell.model.InvalidInputException;
import dev.faascell.model.NetworkPolicy;
import dev.faascell.model.RuntimeKind;
import dev.faascell.registry.DeployedFunction;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FaaSCell functions in Lambda's shapes: CreateFunction and UpdateFunctionCode bodies to
 * {@link FunctionSpec}s, and specs to FunctionConfiguration documents (botocore's lambda model).
 */
final class LambdaFunctions {
  /** Lambda's default timeout when CreateFunction gives none. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
  private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
      .withZone(ZoneOffset.UTC);

  private final ObjectMapper json;
  private final FunctionLimits limits;
  private final int maxCodeBytes;
  private final String region;

  LambdaFunctions(ObjectMapper json, FunctionLimits limits, int maxCodeBytes, String region) {
    this.json = json;
    this.limits = limits;
    this.maxCodeBytes = maxCodeBytes;
    this.region = region;
  }

  String arn(FunctionName name) {
    return "arn:aws:lambda:" + region + ":000000000000:function:" + name.value();
  }

  /** A CreateFunction request body. */
  FunctionSpec create(byte[] body) {
    JsonNode root = object(body);
    FunctionName name = FunctionRef.parse(text(root, "FunctionName")).name();
    if (root.path("PackageType").asText("Zip").equals("Image")) {
      throw LambdaError.invalidParameter("PackageType Image is not supported: deploy a .zip (Code.ZipFile)");
    }
    RuntimeKind runtime = LambdaRuntimes.toFaascell(text(root, "Runtime"));
    CodeBundle code = zip(root.path("Code"), "Code.ZipFile");
    String handler = root.has("Handler") ? text(root, "Handler") : Handlers.defaultFor(runtime, code);
    int memoryMb = root.has("MemorySize") ? integer(root, "MemorySize") : limits.defaultMemoryMb();
    Duration timeout = root.has("Timeout") ? Duration.ofSeconds(integer(root, "Timeout")) : DEFAULT_TIMEOUT;
    return spec(name, runtime, handler, code, memoryMb, limits.defaultVcpus(), timeout,
        environment(root.path("Environment").path("Variables")), NetworkPolicy.NONE);
  }

  /** An UpdateFunctionCode request body: the function with new code (and all else, its network too, as it was). */
  FunctionSpec updateCode(FunctionSpec current, byte[] body) {
    JsonNode root = object(body);
    CodeBundle code = zip(root, "ZipFile");
    return spec(current.name(), current.runtime(), current.handler(), code, current.memoryMb(), current.vcpus(),
        current.timeout(), current.env(), current.network());
  }

  ObjectNode configuration(DeployedFunction deployed) {
    FunctionSpec spec = deployed.spec();
    ObjectNode node = json.createObjectNode()
        .put("FunctionName", spec.name().value())
        .put("FunctionArn", arn(spec.name()))
        .put("Runtime", LambdaRuntimes.toLambda(spec.runtime()))
        .put("Role", "arn:aws:iam::000000000000:role/faascell")
        .put("Handler", spec.handler())
        .put("CodeSize", spec.code().size())
        .put("Description", "")
        .put("Timeout", (spec.timeout().toMillis() + 999) / 1000)
        .put("MemorySize", spec.memoryMb())
        .put("LastModified", LAST_MODIFIED.format(deployed.updatedAt()))
        .put("CodeSha256", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(spec.code().sha256())))
        .put("Version", FunctionRef.LATEST)
        .put("RevisionId", spec.version())
        .put("State", "Active")
        .put("LastUpdateStatus", "Successful")
        .put("PackageType", "Zip");
    ObjectNode variables = node.putObject("Environment").putObject("Variables");
    spec.env().forEach(variables::put);
    node.putArray("Architectures").add("x86_64");
    return node;
  }

  private FunctionSpec spec(FunctionName name, RuntimeKind runtime, String handler, CodeBundle code, int memoryMb,
                            int vcpus, Duration timeout, Map<String, String> env, NetworkPolicy network) {
    try {
      FunctionSpec spec = new FunctionSpec(name, runtime, handler, code, memoryMb, vcpus, timeout, env, network);
      limits.check(spec);
      return spec;
    } catch (InvalidInputException e) {
      throw LambdaError.invalidParameter(e.getMessage());
    }
  }

  private JsonNode object(byte[] body) {
    try {
      JsonNode root = json.readTree(body);
      if (root == null || !root.isObject()) {
        throw LambdaError.invalidContent("the request body must be a JSON object");
      }
      return root;
    } catch (IOException e) {
      throw LambdaError.invalidContent("Could not parse request body into json: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private CodeBundle zip(JsonNode code, String field) {
    JsonNode zip = code.get("ZipFile");
    if (zip == null || !zip.isTextual()) {
      throw LambdaError.invalidParameter(field + " (a base64-encoded .zip) is required; S3 and image code are not supported");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(zip.asText());
    } catch (IllegalArgumentException e) {
      throw LambdaError.invalidParameter(field + " is not valid base64: " + e.getMessage());
    }
    if (bytes.length > maxCodeBytes) {
      throw LambdaError.tooLarge("the code is " + bytes.length + " bytes; the limit is " + maxCodeBytes
          + " (faascell.api.max-code-bytes)");
    }
    try {
      return CodeBundle.zip(bytes);
    } catch (InvalidInputException e) {
      throw LambdaError.invalidParameter(field + ": " + e.getMessage());
    }
  }

  private static Map<String, String> environment(JsonNode variables) {
    Map<String, String> env = new LinkedHashMap<>();
    if (variables.isMissingNode() || variables.isNull()) {
      return env;
    }
    if (!variables.isObject()) {
      throw LambdaError.invalidParameter("Environment.Variables must be an object of strings");
    }
    for (Map.Entry<String, JsonNode> entry : variables.properties()) {
      if (!entry.getValue().isTextual()) {
        throw LambdaError.invalidParameter("Environment.Variables." + entry.getKey() + " must be a string");
      }
      env.put(entry.getKey(), entry.getValue().asText());
    }
    return env;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw LambdaError.invalidParameter(field + " is required and must be a string");
    }
    return value.asText();
  }

  private static int integer(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isInt()) {
      throw LambdaError.invalidParameter(field + " must be an integer");
    }
    return value.asInt();
  }
}
