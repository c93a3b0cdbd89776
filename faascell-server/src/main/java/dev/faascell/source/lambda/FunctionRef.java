package dev.faascell.source.lambda;

import dev.faascell.model.FunctionName;
import dev.faascell.model.InvalidInputException;
import java.util.Optional;

/**
 * A function as Lambda requests name it: {@code name}, {@code name:qualifier}, the full ARN
 * {@code arn:aws:lambda:region:account:function:name[:qualifier]} or the partial
 * {@code account:function:name[:qualifier]}. FaaSCell functions have one version, {@code $LATEST}.
 */
record FunctionRef(FunctionName name, Optional<String> qualifier) {
  static final String LATEST = "$LATEST";

  static FunctionRef parse(String raw) {
    String[] parts = raw.split(":", -1);
    String name;
    String qualifier;
    if (raw.startsWith("arn:")) {
      if (parts.length < 7 || parts.length > 8 || !parts[2].equals("lambda") || !parts[5].equals("function")) {
        throw LambdaError.invalidParameter("'" + raw + "' is not a function ARN (arn:aws:lambda:region:account:function:name)");
      }
      name = parts[6];
      qualifier = parts.length == 8 ? parts[7] : null;
    } else if (parts.length >= 3 && parts[1].equals("function")) {
      if (parts.length > 4) {
        throw LambdaError.invalidParameter("'" + raw + "' is not a partial function ARN (account:function:name)");
      }
      name = parts[2];
      qualifier = parts.length == 4 ? parts[3] : null;
    } else if (parts.length <= 2) {
      name = parts[0];
      qualifier = parts.length == 2 ? parts[1] : null;
    } else {
      throw LambdaError.invalidParameter("'" + raw + "' is not a function name, name:qualifier or ARN");
    }
    try {
      return new FunctionRef(FunctionName.of(name), Optional.ofNullable(qualifier));
    } catch (InvalidInputException e) {
      throw LambdaError.invalidParameter(e.getMessage());
    }
  }

  /** A request's Qualifier parameter, which must agree with a qualifier in the name. */
  FunctionRef withQualifier(Optional<String> parameter) {
    if (parameter.isEmpty()) {
      return this;
    }
    if (qualifier.isPresent() && !qualifier.get().equals(parameter.get())) {
      throw LambdaError.invalidParameter("the qualifier in the function name (" + qualifier.get()
          + ") differs from the Qualifier parameter (" + parameter.get() + ")");
    }
    return new FunctionRef(name, parameter);
  }

  /** Only {@code $LATEST} exists: other versions and aliases are not found. */
  void requireLatest(String arn) {
    if (qualifier.isPresent() && !qualifier.get().equals(LATEST)) {
      throw LambdaError.notFound("Function not found: " + arn + ":" + qualifier.get()
          + " (FaaSCell functions have one version, $LATEST)");
    }
  }
}
