package dev.faascell.source.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.RuntimeKind;
import dev.faascell.model.StartKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A synchronous invocation's result as Lambda's Invoke answers it: 200 with the function's result; 200
 * with {@code X-Amz-Function-Error: Unhandled} and {@code {errorMessage, errorType, stackTrace}} when
 * the function failed (raised, timed out, could not load, lost its VM); a {@link LambdaError} when the
 * node did not run it (throttled, gone, broken).
 */
record InvokeReply(int status, Map<String, String> headers, byte[] body) {
  /** Lambda's Tail log is the last 4 KB of the invocation's log. */
  static final int TAIL_BYTES = 4096;
  /** An exception's "Type: message" line, as Python prints it last and Node.js first. */
  private static final Pattern TYPED_MESSAGE = Pattern.compile("([A-Za-z_$][A-Za-z0-9_$.]*): ?(.*)", Pattern.DOTALL);
  private static final ObjectMapper JSON = new ObjectMapper();

  static InvokeReply of(InvocationResult result, RuntimeKind runtime, int memoryMb, boolean tail, long retryAfterSeconds) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Amz-Executed-Version", FunctionRef.LATEST);
    headers.put("x-amzn-RequestId", result.invocationId());
    if (result instanceof InvocationResult.Completed completed) {
      if (tail) {
        headers.put("X-Amz-Log-Result", logTail(result, completed.stderrTail(), memoryMb));
      }
      return new InvokeReply(200, headers, completed.output());
    }
    InvocationResult.Failed failed = (InvocationResult.Failed) result;
    ObjectNode error = functionError(failed, runtime);
    if (error == null) {
      throw nodeError(failed, retryAfterSeconds);
    }
    headers.put("X-Amz-Function-Error", "Unhandled");
    if (tail) {
      headers.put("X-Amz-Log-Result", logTail(result, failed.stderrTail(), memoryMb));
    }
    try {
      return new InvokeReply(200, headers, JSON.writeValueAsBytes(error));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document of a failure that is the function's own, or null if the node did not run it. */
  private static ObjectNode functionError(InvocationResult.Failed failed, RuntimeKind runtime) {
    return switch (failed.kind()) {
      case FUNCTION_ERROR -> raised(failed.message(), runtime);
      case INIT_ERROR -> document("Runtime.ImportModuleError", lastLine(failed.message()), List.of());
      case TIMEOUT -> document("Sandbox.Timedout", failed.message(), List.of());
      case VM_FAILURE -> document("Runtime.ExitError", failed.message(), List.of());
      default -> null;
    };
  }

  private static LambdaError nodeError(InvocationResult.Failed failed, long retryAfterSeconds) {
    return switch (failed.kind()) {
      case QUEUE_FULL, QUEUE_TIMEOUT, SHUTTING_DOWN, HOST_BUSY -> LambdaError.throttled("Rate Exceeded: " + failed.message(),
          retryAfterSeconds);
      case FUNCTION_GONE -> LambdaError.notFound("Function not found: " + failed.function() + " (" + failed.message() + ")");
      default -> LambdaError.service(failed.kind().code() + ": " + failed.message());
    };
  }

  /**
   * What the runtime reported: Python's traceback ends with "Type: message", Node.js's stack starts
   * with it; an exec function's message is how its process ended.
   */
  static ObjectNode raised(String message, RuntimeKind runtime) {
    List<String> lines = new ArrayList<>(Arrays.asList(message.strip().split("\n")));
    if (lines.isEmpty() || runtime == RuntimeKind.EXEC) {
      return document("Runtime.ExitError", message.strip(), List.of());
    }
    String typed = runtime == RuntimeKind.PYTHON ? lines.remove(lines.size() - 1) : lines.remove(0);
    if (runtime == RuntimeKind.PYTHON && !lines.isEmpty() && lines.get(0).startsWith("Traceback")) {
      lines.remove(0);
    }
    var matcher = TYPED_MESSAGE.matcher(typed);
    String type = matcher.matches() ? matcher.group(1) : "Error";
    String text = matcher.matches() ? matcher.group(2) : typed;
    return document(type.substring(type.lastIndexOf('.') + 1), text, lines.stream().map(String::strip).toList());
  }

  private static ObjectNode document(String type, String message, List<String> stackTrace) {
    ObjectNode node = JSON.createObjectNode().put("errorMessage", message).put("errorType", type);
    var frames = node.putArray("stackTrace");
    stackTrace.forEach(frames::add);
    return node;
  }

  private static String lastLine(String message) {
    String[] lines = message.strip().split("\n");
    return lines[lines.length - 1];
  }

  /** START, the function's output, END and REPORT, as Lambda logs them; the last 4 KB, base64. */
  static String logTail(InvocationResult result, String output, int memoryMb) {
    String id = result.invocationId();
    var timing = result.timing();
    StringBuilder log = new StringBuilder()
        .append("START RequestId: ").append(id).append(" Version: $LATEST\n")
        .append(output).append(output.isEmpty() || output.endsWith("\n") ? "" : "\n")
        .append("END RequestId: ").append(id).append('\n')
        .append("REPORT RequestId: ").append(id)
        .append("\tDuration: ").append(String.format("%.2f", timing.runNanos() / 1e6)).append(" ms")
        .append("\tBilled Duration: ").append((long) Math.ceil(timing.runNanos() / 1e6)).append(" ms")
        .append("\tMemory Size: ").append(memoryMb).append(" MB");
    Optional<StartKind> start = startKind(result);
    if (start.isPresent() && start.get() != StartKind.WARM) {
      double readyMs = (timing.bootNanos() + timing.initNanos() + timing.restoreNanos()) / 1e6;
      log.append("\tInit Duration: ").append(String.format("%.2f", readyMs)).append(" ms");
    }
    log.append('\n');
    byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
    byte[] last = bytes.length <= TAIL_BYTES ? bytes : Arrays.copyOfRange(bytes, bytes.length - TAIL_BYTES, bytes.length);
    return Base64.getEncoder().encodeToString(last);
  }

  private static Optional<StartKind> startKind(InvocationResult result) {
    return Optional.ofNullable(result instanceof InvocationResult.Completed completed ? completed.startKind()
        : ((InvocationResult.Failed) result).startKind());
  }
}
