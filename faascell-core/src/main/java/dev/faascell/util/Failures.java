package dev.faascell.util;

/**
 * What a failure that came back through futures and wrappers says at its bottom: the message worth
 * logging and answering with, not the wrappers' ("java.util.concurrent.CompletionException: …").
 */
public final class Failures {
  private Failures() {
  }

  /** The innermost cause of {@code error} (itself if it has none). */
  public static Throwable rootCause(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** The innermost cause's message. */
  public static String rootMessage(Throwable error) {
    return String.valueOf(rootCause(error).getMessage());
  }
}
