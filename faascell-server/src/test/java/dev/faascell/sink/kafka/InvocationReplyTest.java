package dev.faascell.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InvocationReplyTest {
  @Test
  void aReplyCarriesTheApiDocumentAndWhereItCameFrom() throws Exception {
    byte[] document = "{\"invocationId\":\"i\",\"function\":\"hello\",\"result\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8);
    InvocationReply reply = new InvocationReply("i", "node-a", 200, false, document);
    String encoded = new String(reply.encode(), StandardCharsets.UTF_8);
    assertThat(encoded).isEqualTo("{\"invocationId\":\"i\",\"node\":\"node-a\",\"status\":200,\"answeredFrom\":\"run\","
        + "\"invocation\":{\"invocationId\":\"i\",\"function\":\"hello\",\"result\":{\"x\":1}}}");
    InvocationReply back = InvocationReply.decode(reply.againFromRecord().encode());
    assertThat(back.answeredFromRecord()).isTrue();
    assertThat(back.status()).isEqualTo(200);
    assertThat(back.node()).isEqualTo("node-a");
    assertThat(new String(back.document(), StandardCharsets.UTF_8)).isEqualTo(new String(document, StandardCharsets.UTF_8));
  }

  @Test
  void somethingElseIsNotAReply() {
    assertThatThrownBy(() -> InvocationReply.decode("{\"status\":200}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not an invocation reply");
  }
}
