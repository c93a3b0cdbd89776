package dev.faascell.source.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigV4Test {
  private static final SigV4 EXAMPLE = new SigV4("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  private static final Instant SIGNED_AT = Instant.parse("2015-08-30T12:36:00Z");

  /** AWS's published test suite, case get-vanilla: GET / to example.amazonaws.com. */
  @Test
  void matchesAwsPublishedTestVector() {
    var request = new SigV4.Request("GET", List.of(), List.of(),
        Map.of("host", "example.amazonaws.com", "x-amz-date", "20150830T123600Z"), new byte[0]);
    assertThat(EXAMPLE.authorization(request, "us-east-1", "service")).isEqualTo("AWS4-HMAC-SHA256 "
        + "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
        + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  }

  @Test
  void aRequestSignedWithTheKeyIsAcceptedAndAnAlteredOneIsNot() {
    var signed = invoke("{\"a\":1}");
    signed.headers().put("authorization", EXAMPLE.authorization(signed, "us-east-1", "lambda"));
    EXAMPLE.verify(signed, SIGNED_AT.plusSeconds(60));

    var tampered = new SigV4.Request(signed.method(), signed.pathSegments(), signed.query(), signed.headers(),
        "{\"a\":2}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> EXAMPLE.verify(tampered, SIGNED_AT))
        .isInstanceOfSatisfying(LambdaError.class, e -> assertThat(e.type()).isEqualTo("InvalidSignatureException"));
  }

  @Test
  void anArnInThePathIsSignedDoublyEncodedAsTheSdksDo() {
    var request = new SigV4.Request("POST", List.of("2015-03-31", "functions", "arn:aws:lambda:us-east-1:0:function:f",
        "invocations"), List.of(Map.entry("Qualifier", "$LATEST")), Map.of("host", "h"), new byte[0]);
    assertThat(SigV4.canonicalRequest(request, List.of("host")))
        .startsWith("POST\n/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A0%253Afunction%253Af/invocations\n"
            + "Qualifier=%24LATEST\nhost:h\n");
  }

  @Test
  void otherKeysOldSignaturesAndUnsignedRequestsAreRefusedWithLambdasErrors() {
    var other = invoke("{}");
    other.headers().put("authorization", new SigV4("SOMEONE", "else").authorization(other, "us-east-1", "lambda"));
    assertThatThrownBy(() -> EXAMPLE.verify(other, SIGNED_AT))
        .isInstanceOfSatisfying(LambdaError.class, e -> assertThat(e.type()).isEqualTo("UnrecognizedClientException"));

    var old = invoke("{}");
    old.headers().put("authorization", EXAMPLE.authorization(old, "us-east-1", "lambda"));
    assertThatThrownBy(() -> EXAMPLE.verify(old, SIGNED_AT.plusSeconds(3600)))
        .isInstanceOfSatisfying(LambdaError.class, e -> assertThat(e.getMessage()).contains("Signature expired"));

    assertThatThrownBy(() -> EXAMPLE.verify(invoke("{}"), SIGNED_AT))
        .isInstanceOfSatisfying(LambdaError.class, e -> assertThat(e.status()).isEqualTo(403));
  }

  private static SigV4.Request invoke(String payload) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("host", "127.0.0.1:9000");
    headers.put("x-amz-date", SigV4.amzDate(SIGNED_AT));
    headers.put("content-type", "application/octet-stream");
    return new SigV4.Request("POST", List.of("2015-03-31", "functions", "f", "invocations"), List.of(), headers,
        payload.getBytes(StandardCharsets.UTF_8));
  }
}
