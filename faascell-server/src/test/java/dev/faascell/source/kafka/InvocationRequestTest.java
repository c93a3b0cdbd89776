package dev.faascell.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faascell.model.FunctionName;
import dev.faascell.model.InvalidInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InvocationRequestTest {
  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aJsonPayloadTravelsAsJsonAndAnyOtherAsBase64() {
    var json = new InvocationRequest("id-1", FunctionName.of("hello"), utf8("{\"name\":\"x\"}"), "replies");
    assertThat(new String(json.encode(), StandardCharsets.UTF_8)).contains("\"payload\":{\"name\":\"x\"}");
    assertThat(InvocationRequest.decode("hello", json.encode())).satisfies(back -> {
      assertThat(back.invocationId()).isEqualTo("id-1");
      assertThat(back.function()).isEqualTo(FunctionName.of("hello"));
      assertThat(back.payload()).isEqualTo(utf8("{\"name\":\"x\"}"));
      assertThat(back.replyTopic()).isEqualTo("replies");
    });
    var raw = new InvocationRequest("id-2", FunctionName.of("shout"), utf8("plain text\n"), "replies");
    assertThat(new String(raw.encode(), StandardCharsets.UTF_8)).contains("payloadBase64");
    assertThat(InvocationRequest.decode("shout", raw.encode()).payload()).isEqualTo(utf8("plain text\n"));
  }

  @Test
  void badRequestsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> InvocationRequest.decode("hello", utf8("not json")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> InvocationRequest.decode("other",
        utf8("{\"invocationId\":\"a\",\"function\":\"hello\",\"replyTopic\":\"r\"}")))
        .hasMessageContaining("record key must be the function's name 'hello'");
    assertThatThrownBy(() -> InvocationRequest.decode("hello",
        utf8("{\"invocationId\":\"a b\",\"function\":\"hello\",\"replyTopic\":\"r\"}")))
        .hasMessageContaining("invocationId");
    assertThatThrownBy(() -> InvocationRequest.decode("hello",
        utf8("{\"invocationId\":\"a\",\"function\":\"hello\",\"replyTopic\":\"r\",\"extra\":1}")))
        .hasMessageContaining("unknown field 'extra'");
    assertThatThrownBy(() -> InvocationRequest.decode("hello",
        utf8("{\"invocationId\":\"a\",\"function\":\"hello\"}")))
        .hasMessageContaining("replyTopic");
  }

  @Test
  void aBadRequestStillSaysWhereToAnswer() {
    byte[] value = utf8("{\"invocationId\":\"a\",\"function\":\"Not A Name\",\"replyTopic\":\"r\"}");
    assertThat(InvocationRequest.replyTopicOf(value)).isEqualTo("r");
    assertThat(InvocationRequest.invocationIdOf(value)).isEqualTo("a");
    assertThat(InvocationRequest.replyTopicOf(utf8("garbage"))).isNull();
  }
}
