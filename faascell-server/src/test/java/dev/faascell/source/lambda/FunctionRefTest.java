package dev.faascell.source.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionRefTest {
  @Test
  void namesQualifiedNamesAndArnsNameTheSameFunction() {
    for (String raw : new String[] {"greet", "greet:$LATEST", "arn:aws:lambda:us-east-1:123456789012:function:greet",
        "arn:aws:lambda:eu-west-1:123456789012:function:greet:$LATEST", "123456789012:function:greet"}) {
      assertThat(FunctionRef.parse(raw).name().value()).as(raw).isEqualTo("greet");
    }
    assertThat(FunctionRef.parse("greet:prod").qualifier()).hasValue("prod");
    assertThat(FunctionRef.parse("greet").withQualifier(Optional.of("$LATEST")).qualifier()).hasValue("$LATEST");
  }

  @Test
  void onlyLatestExists() {
    FunctionRef.parse("greet:$LATEST").requireLatest("arn");
    assertThatThrownBy(() -> FunctionRef.parse("greet:7").requireLatest("arn"))
        .isInstanceOfSatisfying(LambdaError.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void badNamesAndConflictingQualifiersAre400WithTheReason() {
    assertThatThrownBy(() -> FunctionRef.parse("Upper_Case"))
        .isInstanceOfSatisfying(LambdaError.class, e -> {
          assertThat(e.type()).isEqualTo("InvalidParameterValueException");
          assertThat(e.getMessage()).contains("a-z, 0-9 and '-'");
        });
    assertThatThrownBy(() -> FunctionRef.parse("arn:aws:s3:::bucket")).isInstanceOf(LambdaError.class);
    assertThatThrownBy(() -> FunctionRef.parse("greet:1").withQualifier(Optional.of("2")))
        .isInstanceOfSatisfying(LambdaError.class, e -> assertThat(e.status()).isEqualTo(400));
  }
}
