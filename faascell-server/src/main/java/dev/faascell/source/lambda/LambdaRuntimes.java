package dev.faascell.source.lambda;

import dev.faascell.model.RuntimeKind;
import java.util.regex.Pattern;

/**
 * Lambda's runtime identifiers and FaaSCell's runtimes. Every python3.x maps to the image's Python 3
 * and nodejs18.x to nodejs22.x to its Node.js; the version actually run is the image's interpreter's,
 * so a function reports the family's name FaaSCell answers with (docs/LAMBDA.md).
 */
final class LambdaRuntimes {
  private static final Pattern PYTHON = Pattern.compile("python3\\.\\d{1,2}");
  private static final Pattern NODEJS = Pattern.compile("nodejs(18|20|22)\\.x");
  private static final Pattern PROVIDED = Pattern.compile("provided(\\.al2|\\.al2023)?");
  static final String SUPPORTED = "python3.x, nodejs18.x, nodejs20.x, nodejs22.x, provided (exec)";

  private LambdaRuntimes() {
  }

  static RuntimeKind toFaascell(String lambdaRuntime) {
    if (PYTHON.matcher(lambdaRuntime).matches()) {
      return RuntimeKind.PYTHON;
    }
    if (NODEJS.matcher(lambdaRuntime).matches()) {
      return RuntimeKind.NODEJS;
    }
    if (PROVIDED.matcher(lambdaRuntime).matches()) {
      return RuntimeKind.EXEC;
    }
    throw LambdaError.invalidParameter("Runtime " + lambdaRuntime + " is not supported by FaaSCell; supported: "
        + SUPPORTED);
  }

  static String toLambda(RuntimeKind runtime) {
    return switch (runtime) {
      case PYTHON -> "python3.11";
      case NODEJS -> "nodejs18.x";
      case EXEC -> "provided";
    };
  }
}
