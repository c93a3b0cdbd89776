package dev.faascell.model;

import java.util.regex.Pattern;

/**
 * A function's name: the only user string that becomes part of URLs, file and socket names, so it is
 * validated once, here, and carried as this type everywhere else.
 */
public record FunctionName(String value) {
  private static final Pattern VALID = Pattern.compile("[a-z0-9-]{1,63}");

  public FunctionName {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new InvalidInputException(
          "invalid function name " + quote(value) + ": use 1 to 63 characters of a-z, 0-9 and '-'");
    }
  }

  public static FunctionName of(String value) {
    return new FunctionName(value);
  }

  private static String quote(String value) {
    if (value == null) {
      return "(missing)";
    }
    String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return "'" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'";
  }

  @Override
  public String toString() {
    return value;
  }
}
