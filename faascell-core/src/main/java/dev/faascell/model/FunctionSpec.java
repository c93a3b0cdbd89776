package dev.faascell.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A deployed function. {@link #version()} is a digest of everything that shapes a VM of this function
 * (code, runtime, handler, resources, environment, network): a VM or snapshot only ever serves the
 * version it was made for.
 */
public record FunctionSpec(
    FunctionName name,
    RuntimeKind runtime,
    String handler,
    CodeBundle code,
    int memoryMb,
    int vcpus,
    Duration timeout,
    Map<String, String> env,
    NetworkPolicy network) {

  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern PYTHON_HANDLER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*\\.[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern NODEJS_HANDLER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_/-]*\\.[A-Za-z_$][A-Za-z0-9_$]*");
  private static final Pattern EXEC_HANDLER = Pattern.compile("[A-Za-z0-9._/-]{1,255}");

  public FunctionSpec {
    if (name == null || runtime == null || code == null || timeout == null) {
      throw new InvalidInputException("name, runtime, code and timeout are required");
    }
    env = Map.copyOf(env == null ? Map.of() : env);
    network = network == null ? NetworkPolicy.NONE : network;
    validateHandler(runtime, handler);
    env.forEach((key, value) -> {
      if (!ENV_KEY.matcher(key).matches()) {
        throw new InvalidInputException("invalid env name '" + key + "': use [A-Za-z_][A-Za-z0-9_]*");
      }
      if (value.indexOf('\0') >= 0 || value.length() > 4096) {
        throw new InvalidInputException("env value of " + key + " must be under 4096 characters without NUL");
      }
    });
  }

  /** A function without network (the default). */
  public FunctionSpec(FunctionName name, RuntimeKind runtime, String handler, CodeBundle code, int memoryMb, int vcpus,
                      Duration timeout, Map<String, String> env) {
    this(name, runtime, handler, code, memoryMb, vcpus, timeout, env, NetworkPolicy.NONE);
  }

  private static void validateHandler(RuntimeKind runtime, String handler) {
    if (handler == null) {
      throw new InvalidInputException("handler is required");
    }
    boolean valid = switch (runtime) {
      case PYTHON -> PYTHON_HANDLER.matcher(handler).matches();
      case NODEJS -> NODEJS_HANDLER.matcher(handler).matches() && !handler.contains("..") && !handler.contains("//");
      case EXEC -> EXEC_HANDLER.matcher(handler).matches() && !handler.startsWith("/") && !handler.contains("..");
    };
    if (!valid) {
      throw new InvalidInputException(switch (runtime) {
        case PYTHON -> "invalid python handler '" + handler + "': use module.function, e.g. main.handle";
        case NODEJS -> "invalid nodejs handler '" + handler + "': use module.function, e.g. index.handler";
        case EXEC -> "invalid exec handler '" + handler + "': use a relative path inside the code, e.g. handler.sh";
      });
    }
  }

  /** A short digest of this spec; changes whenever anything a VM depends on changes. */
  public String version() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      StringBuilder canonical = new StringBuilder()
          .append(runtime.wireName()).append('\n').append(handler).append('\n')
          .append(code.format()).append('\n').append(code.fileName()).append('\n').append(code.sha256()).append('\n')
          .append(memoryMb).append('\n').append(vcpus).append('\n').append(timeout.toMillis()).append('\n');
      new TreeMap<>(env).forEach((k, v) -> canonical.append(k).append('=').append(v).append('\n'));
      if (network.hasNetwork()) {
        // only then: functions without network keep the versions (and snapshots) they had
        canonical.append("network ").append(network.canonical()).append('\n');
      }
      return HexFormat.of().formatHex(digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
