package dev.faascell.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The language runtimes the guest agent knows (see docs/PROTOCOL.md, "Runtimes"). */
public enum RuntimeKind {
  /** One long-lived interpreter imports {@code module.function} once and calls it per invocation. */
  PYTHON,
  /** One long-lived Node.js imports {@code module.function} (CommonJS or ES module) once, like python. */
  NODEJS,
  /** Any executable in the code: payload on stdin, result from stdout, one process per invocation. */
  EXEC;

  /** Whether the payload is handed to the function as a parsed JSON value, and so must be JSON. */
  public boolean takesJson() {
    return this != EXEC;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RuntimeKind parse(String value) {
    for (RuntimeKind kind : values()) {
      if (kind.wireName().equals(value)) {
        return kind;
      }
    }
    throw new InvalidInputException("unknown runtime '" + value + "': use one of "
        + Arrays.stream(values()).map(RuntimeKind::wireName).collect(Collectors.joining(", ")));
  }
}
