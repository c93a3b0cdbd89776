package dev.faascell.openwhisk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvalidInputException;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.RuntimeKind;
import dev.faascell.model.StartKind;
import dev.faascell.node.NodeApi;
import dev.faascell.registry.DeployedFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * OpenWhisk's action semantics over FaaSCell functions. A function is an OpenWhisk action when it was
 * deployed with an OpenWhisk name ({@code faascell fn deploy --openwhisk-name ns/pkg/action}), kept in
 * its environment as {@value #NAME_ENV}; the guest's Python runtime then calls {@code main(params)}
 * with the {@code __OW_*} environment of each activation (the envelope {@link #payload} writes), and
 * the result becomes an ActivationResponse: an object is a success, an object with {@code error} an
 * application error (1), anything else or a raised error a developer error (2), a failure of the
 * node a whisk error (3).
 */
public final class OpenWhiskActions {
  /** The environment variable that names a function's OpenWhisk action; the Python runtime looks for it. */
  public static final String NAME_ENV = "FAASCELL_OPENWHISK_NAME";
  /** The controller's health test action, whisk.system/invokerHealthTestAction{controller} (InvokerSupervision.scala). */
  static final String HEALTH_ACTION_PATH = "whisk.system";
  static final String HEALTH_ACTION_PREFIX = "invokerHealthTestAction";
  /** FaaSCell's stand-in for the health test action, which OpenWhisk writes in Node.js: it echoes its parameters. */
  public static final FunctionName HEALTH_FUNCTION = FunctionName.of("openwhisk-health");

  /** OpenWhisk entity names (EntityName), here without spaces; a path is a namespace and at most one package. */
  private static final Pattern QUALIFIED_NAME = Pattern.compile("[\\w@.-]+(/[\\w@.-]+){1,2}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeApi node;

  public OpenWhiskActions(NodeApi node) {
    this.node = node;
  }

  /** Checks an OpenWhisk name given at deploy: {@code ns/action} or {@code ns/pkg/action}. */
  public static String checkName(String qualifiedName) {
    if (!QUALIFIED_NAME.matcher(qualifiedName).matches()) {
      throw new InvalidInputException("an OpenWhisk name is namespace/action or namespace/package/action, each of "
          + "[A-Za-z0-9_@.-], got '" + qualifiedName + "'");
    }
    return qualifiedName;
  }

  /** The health test action's stand-in, deployed by the invoker at start. */
  public static FunctionSpec healthFunction(Duration timeout) {
    byte[] code = "def main(params):\n    return params\n".getBytes(StandardCharsets.UTF_8);
    return new FunctionSpec(HEALTH_FUNCTION, RuntimeKind.PYTHON, "main.main", CodeBundle.file("main.py", code), 128, 1,
        timeout, Map.of(NAME_ENV, HEALTH_ACTION_PATH + "/" + HEALTH_ACTION_PREFIX));
  }

  /** The function that serves the activation's action, if one is deployed under its name. */
  public Optional<FunctionSpec> resolve(ActivationMessage msg) {
    String wanted = msg.actionPath().equals(HEALTH_ACTION_PATH) && msg.actionName().startsWith(HEALTH_ACTION_PREFIX)
        ? HEALTH_ACTION_PATH + "/" + HEALTH_ACTION_PREFIX : msg.qualifiedName();
    return node.functions().stream().map(DeployedFunction::spec)
        .filter(spec -> wanted.equals(spec.env().get(NAME_ENV))).findFirst();
  }

  /**
   * What the function is given: for Python, the envelope {@code {"env":{__OW_*, init args}, "params":{…}}}
   * that the guest runtime unpacks; for an executable, the parameters on stdin.
   * (ContainerProxy.initializeAndRun builds the same environment; init args are exported, not passed.)
   */
  public static byte[] payload(ActivationMessage msg, FunctionSpec function) {
    ObjectNode params = msg.content().deepCopy();
    ObjectNode env = JSON.createObjectNode();
    for (String arg : msg.initArgs()) {
      JsonNode value = params.remove(arg);
      if (value != null) {
        env.put(arg, value.isTextual() ? value.asText() : value.toString());
      }
    }
    env.put("__OW_NAMESPACE", msg.namespace())
        .put("__OW_ACTION_NAME", "/" + msg.qualifiedName())
        .put("__OW_ACTION_VERSION", msg.actionVersion().orElse("0.0.1"))
        .put("__OW_ACTIVATION_ID", msg.activationId())
        .put("__OW_TRANSACTION_ID", msg.transactionId())
        .put("__OW_DEADLINE", Long.toString(System.currentTimeMillis() + function.timeout().toMillis()));
    msg.apiKey().ifPresent(key -> env.put("__OW_API_KEY", key));
    try {
      if (function.runtime() != RuntimeKind.PYTHON) {
        return JSON.writeValueAsBytes(params);
      }
      ObjectNode envelope = JSON.createObjectNode();
      envelope.set("env", env);
      envelope.set("params", params);
      return JSON.writeValueAsBytes(envelope);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The ActivationResponse of a FaaSCell result. */
  public static OpenWhiskMessages.Response response(InvocationResult result, FunctionSpec function) {
    if (result instanceof InvocationResult.Completed done) {
      JsonNode output = parse(done.output());
      if (output == null || !output.isObject()) {
        return OpenWhiskMessages.Response.error(OpenWhiskMessages.DEVELOPER_ERROR,
            "The action did not return a dictionary.");
      }
      int status = output.has("error") ? OpenWhiskMessages.APPLICATION_ERROR : OpenWhiskMessages.SUCCESS;
      return new OpenWhiskMessages.Response(status, output, false);
    }
    InvocationResult.Failed failed = (InvocationResult.Failed) result;
    return switch (failed.kind()) {
      case FUNCTION_ERROR, INIT_ERROR -> OpenWhiskMessages.Response.error(OpenWhiskMessages.DEVELOPER_ERROR,
          "An error has occurred: " + failed.message());
      case TIMEOUT -> new OpenWhiskMessages.Response(OpenWhiskMessages.DEVELOPER_ERROR, JSON.createObjectNode()
          .put("error", "The action exceeded its time limits of " + function.timeout().toMillis() + " milliseconds."),
          true);
      case FUNCTION_GONE -> OpenWhiskMessages.Response.error(OpenWhiskMessages.APPLICATION_ERROR,
          "Action could not be found or may have been deleted.");
      default -> OpenWhiskMessages.Response.error(OpenWhiskMessages.WHISK_ERROR,
          "The invoker could not run the action: " + failed.message());
    };
  }

  /** OpenWhisk's exec kind for the activation's {@code kind} annotation. */
  public static String kind(FunctionSpec function) {
    return function.runtime() == RuntimeKind.PYTHON ? "python:3" : "blackbox";
  }

  /** Time to make the action ready (boot and init, or restore), reported as initTime when there was any. */
  public static java.util.OptionalLong initTimeMs(InvocationResult result) {
    StartKind start = result instanceof InvocationResult.Completed done ? done.startKind()
        : ((InvocationResult.Failed) result).startKind();
    if (start == null || start == StartKind.WARM) {
      return java.util.OptionalLong.empty();
    }
    return java.util.OptionalLong.of(Math.round(result.timing().acquireNanos() / 1e6));
  }

  private static JsonNode parse(byte[] output) {
    try {
      return output.length == 0 ? null : JSON.readTree(output);
    } catch (IOException e) {
      return null;
    }
  }
}
