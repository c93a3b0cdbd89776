package dev.faascell.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The language runtimes the guest agent knows (see docs/PROTOCOL.md, "Runtimes"). */
public enum RuntimeKind {
  /** One long-lived interpreter imports {@code module.function} once and calls it per invocation. */
  PYTHON,
  /** Any executable in the code: payload on stdin, result from stdout, one process per invocation. */
  EXEC;

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
