package dev.faascell.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;

/**
 * What came back for one invocation, read from the node's reply (docs/API.md): its start kind, VM and
 * timings, or its error's kind and message. {@code status} is 0 if nothing came back; the kind then
 * says why (client-timeout, connection-failed, client-error).
 */
public record InvocationReply(int status, String errorKind, String errorMessage, String startKind, String vmId,
                              ReplyTimings timings) {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Error messages are cut here: a reply is one row of a results file, not a log. */
  private static final int MAX_MESSAGE_CHARS = 500;

  /** A reply as the node sent it; a body that is not a JSON object is an error named after its status. */
  public static InvocationReply of(int status, String body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException notJson) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      return new InvocationReply(status, status == 200 ? "" : "http-" + status, status == 200 ? "" : truncate(body),
          "", "", ReplyTimings.NONE);
    }
    JsonNode error = json.path("error");
    String kind = status == 200 ? "" : error.path("kind").asText("http-" + status);
    return new InvocationReply(status, kind, truncate(error.path("message").asText("")), json.path("startKind").asText(""),
        json.path("vmId").asText(""), new ReplyTimings(ms(json, "queueMs"), ms(json, "acquireMs"), ms(json, "bootMs"),
        ms(json, "restoreMs"), ms(json, "initMs"), ms(json, "runMs"), ms(json, "execMs"), ms(json, "totalMs")));
  }

  /** The reply of an invocation whose request failed in the client or on the way. */
  public static InvocationReply failed(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    String kind = cause instanceof HttpTimeoutException ? "client-timeout"
        : cause instanceof ConnectException ? "connection-failed" : "client-error";
    return new InvocationReply(0, kind, truncate(String.valueOf(cause)), "", "", ReplyTimings.NONE);
  }

  private static double ms(JsonNode reply, String field) {
    JsonNode value = reply.get(field);
    return value != null && value.isNumber() ? value.asDouble() : Double.NaN;
  }

  private static String truncate(String text) {
    return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "…";
  }
}
