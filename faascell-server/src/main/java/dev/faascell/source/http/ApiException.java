package dev.faascell.source.http;

/** A request the API refuses, with the HTTP status and a message saying what is wrong. */
final class ApiException extends RuntimeException {
  private final int status;
  private final String kind;

  ApiException(int status, String kind, String message) {
    super(message);
    this.status = status;
    this.kind = kind;
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "not-found", message);
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "bad-request", message);
  }

  int status() {
    return status;
  }

  String kind() {
    return kind;
  }
}
