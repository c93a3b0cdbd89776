package dev.faascell.sink.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The answer to an invocation request, on the request's reply topic and on the answered topic, keyed
 * by invocation id (docs/CLUSTER.md):
 * {@code {"invocationId":"…","node":"…","status":200,"answeredFrom":"run","invocation":{…}}}, where
 * {@code invocation} is the HTTP API's invocation document (docs/API.md) and {@code status} the HTTP
 * status the API would have answered with. {@code answeredFrom} is {@code record} when a redelivered
 * request was answered from the answered topic instead of being run again.
 *
 * @param answeredFromRecord the request was a redelivery, answered from the answered topic
 * @param document the API's invocation (or error) document, JSON
 */
public record InvocationReply(String invocationId, String node, int status, boolean answeredFromRecord,
                              byte[] document) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public InvocationReply {
    document = document.clone();
  }

  @Override
  public byte[] document() {
    return document.clone();
  }

  /** The same answer, given again from the answered topic's record. */
  public InvocationReply againFromRecord() {
    return new InvocationReply(invocationId, node, status, true, document);
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(document.length + 128);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("invocationId", invocationId);
      g.writeStringField("node", node);
      g.writeNumberField("status", status);
      g.writeStringField("answeredFrom", answeredFromRecord ? "record" : "run");
      g.writeFieldName("invocation");
      g.writeRawValue(new String(document, java.nio.charset.StandardCharsets.UTF_8));   // written by ApiJson: JSON
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static InvocationReply decode(byte[] value) throws IOException {
    JsonNode root = JSON.readTree(value);
    if (root == null || !root.path("invocationId").isTextual() || !root.path("status").isInt()
        || !root.path("invocation").isObject()) {
      throw new IOException("not an invocation reply: needs invocationId, status and invocation");
    }
    return new InvocationReply(root.get("invocationId").asText(), root.path("node").asText(""),
        root.get("status").asInt(), root.path("answeredFrom").asText("run").equals("record"),
        JSON.writeValueAsBytes(root.get("invocation")));
  }
}
