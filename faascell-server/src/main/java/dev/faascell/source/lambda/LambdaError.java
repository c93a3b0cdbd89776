package dev.faascell.source.lambda;

import java.util.Set;

/**
 * A request the Lambda API refuses, as Lambda refuses it: the HTTP status, the error type the AWS SDKs
 * turn into their typed exception ({@code x-amzn-ErrorType}), and a message.
 */
final class LambdaError extends RuntimeException {
  /** Lambda spells the message field of these with a capital M; every other error with a small one. */
  private static final Set<String> CAPITALISED_MESSAGE = Set.of("ResourceNotFoundException", "ServiceException");

  private final int status;
  private final String type;
  private final long retryAfterSeconds;

  private LambdaError(int status, String type, String message, long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.type = type;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static LambdaError of(int status, String type, String message) {
    return new LambdaError(status, type, message, 0);
  }

  static LambdaError notFound(String message) {
    return of(404, "ResourceNotFoundException", message);
  }

  static LambdaError invalidParameter(String message) {
    return of(400, "InvalidParameterValueException", message);
  }

  static LambdaError invalidContent(String message) {
    return of(400, "InvalidRequestContentException", message);
  }

  static LambdaError tooLarge(String message) {
    return of(413, "RequestTooLargeException", message);
  }

  static LambdaError conflict(String message) {
    return of(409, "ResourceConflictException", message);
  }

  static LambdaError service(String message) {
    return of(500, "ServiceException", message);
  }

  static LambdaError throttled(String message, long retryAfterSeconds) {
    return new LambdaError(429, "TooManyRequestsException", message, retryAfterSeconds);
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  /** 0 unless the caller should retry after this many seconds. */
  long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The body's message field's name for this error type. */
  String messageField() {
    return CAPITALISED_MESSAGE.contains(type) ? "Message" : "message";
  }

  /** Lambda says "User" for a caller's mistake and "Service" for its own. */
  String origin() {
    return status >= 500 ? "Service" : "User";
  }
}
