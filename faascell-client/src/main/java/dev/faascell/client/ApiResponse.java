package dev.faascell.client;

/** What a node answered to one request: the status and the body as text. */
public record ApiResponse(int status, String body) {
  /** A 2xx status. */
  public boolean successful() {
    return status / 100 == 2;
  }
}
