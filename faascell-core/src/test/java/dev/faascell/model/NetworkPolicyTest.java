package dev.faascell.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkPolicyTest {
  @Test
  void allowRulesParseCidrAndOptionalPort() {
    AllowRule web = AllowRule.parse("10.1.2.0/24:443");
    assertThat(web.cidr()).isEqualTo("10.1.2.0/24");
    assertThat(web.port()).isEqualTo(443);
    assertThat(web.toString()).isEqualTo("10.1.2.0/24:443");
    AllowRule host = AllowRule.parse("10.9.9.9/32");
    assertThat(host.port()).isZero();
    assertThat(host.toString()).isEqualTo("10.9.9.9/32");
    assertThat(AllowRule.parse("0.0.0.0/0").toString()).isEqualTo("0.0.0.0/0");
  }

  @Test
  void badRulesAreRefusedWithTheReason() {
    Map<String, String> cases = Map.of(
        "example.com:443", "is not CIDR[:PORT]",
        "10.1.2.3", "is not CIDR[:PORT]",
        "10.1.2.0/24:0", "ports are 1 to 65535",
        "10.1.2.0/24:70000", "ports are 1 to 65535",
        "10.1.2.0/33", "prefix length is 0 to 32",
        "10.1.256.0/24", "octet over 255",
        "10.1.2.3/24", "host bits set: did you mean 10.1.2.0/24?");
    cases.forEach((text, message) -> assertThatThrownBy(() -> AllowRule.parse(text)).as(text)
        .isInstanceOf(InvalidInputException.class).hasMessageContaining(message));
  }

  @Test
  void noneTakesNoRulesAndTheListIsBounded() {
    assertThatThrownBy(() -> new NetworkPolicy(NetworkPolicy.Mode.NONE, List.of(AllowRule.parse("10.0.0.0/8")), 0))
        .hasMessageContaining("need network mode egress");
    assertThatThrownBy(() -> NetworkPolicy.Mode.parse("wifi")).hasMessageContaining("unknown network mode 'wifi'");
    List<AllowRule> many = java.util.stream.IntStream.range(0, NetworkPolicy.MAX_ALLOW_RULES + 1)
        .mapToObj(i -> AllowRule.parse("10.0." + i + ".0/24")).toList();
    assertThatThrownBy(() -> new NetworkPolicy(NetworkPolicy.Mode.EGRESS, many, 0)).hasMessageContaining("at most");
    assertThatThrownBy(() -> new NetworkPolicy(NetworkPolicy.Mode.EGRESS, List.of(), -1)).hasMessageContaining("bandwidthMbit");
  }

  @Test
  void theNetworkIsPartOfAFunctionsVersionButLeavesFunctionsWithoutNetworkAsTheyWere() {
    FunctionSpec plain = new FunctionSpec(FunctionName.of("f"), RuntimeKind.PYTHON, "main.handle",
        CodeBundle.file("main.py", "x".getBytes()), 128, 1, Duration.ofSeconds(5), Map.of());
    FunctionSpec none = new FunctionSpec(plain.name(), plain.runtime(), plain.handler(), plain.code(), plain.memoryMb(),
        plain.vcpus(), plain.timeout(), plain.env(), NetworkPolicy.NONE);
    FunctionSpec egress = new FunctionSpec(plain.name(), plain.runtime(), plain.handler(), plain.code(), plain.memoryMb(),
        plain.vcpus(), plain.timeout(), plain.env(), new NetworkPolicy(NetworkPolicy.Mode.EGRESS, List.of(), 0));
    FunctionSpec narrower = new FunctionSpec(plain.name(), plain.runtime(), plain.handler(), plain.code(), plain.memoryMb(),
        plain.vcpus(), plain.timeout(), plain.env(),
        new NetworkPolicy(NetworkPolicy.Mode.EGRESS, List.of(AllowRule.parse("10.0.0.0/8:443")), 0));
    assertThat(none.version()).isEqualTo(plain.version());
    assertThat(egress.version()).isNotEqualTo(plain.version()).isNotEqualTo(narrower.version());
  }
}
