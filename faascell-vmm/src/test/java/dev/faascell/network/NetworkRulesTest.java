package dev.faascell.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.model.AllowRule;
import dev.faascell.model.NetworkPolicy;
import dev.faascell.util.Command;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule sets as text, and (with nft installed) as nft's own parser checks them, without loading them. */
class NetworkRulesTest {
  private static final List<String> REFUSED = List.of("10.200.0.0/16", "192.0.2.2/32");

  @Test
  void theNodeAndOtherVmsAreRefusedBeforeTheAllowListAndEverythingElseAfterIt() {
    NetworkPolicy policy = new NetworkPolicy(NetworkPolicy.Mode.EGRESS,
        List.of(AllowRule.parse("10.1.2.0/24:443"), AllowRule.parse("10.9.9.9/32")), 0);
    String rules = NetworkRules.vmRuleSet(policy, "10.200.0.6", REFUSED);
    int refused = rules.indexOf("ip daddr { 10.200.0.0/16, 192.0.2.2/32 } reject");
    int web = rules.indexOf("ip daddr 10.1.2.0/24 meta l4proto { tcp, udp } th dport 443 accept");
    int host = rules.indexOf("ip daddr 10.9.9.9/32 accept");
    int rest = rules.lastIndexOf("reject with icmpx type admin-prohibited");
    assertThat(refused).isPositive().isLessThan(web);
    assertThat(web).isLessThan(host);
    assertThat(host).isLessThan(rest);
    assertThat(rules).doesNotContain("meta nfproto ipv4 accept")
        .contains("snat ip to 10.200.0.6")
        // only answers come back towards the guest, and the guest's packets never skip the allow-list
        .contains("iifname \"veth0\" oifname \"tap0\" ct state established,related accept")
        .doesNotContain("iifname \"tap0\" oifname \"veth0\" ct state");
  }

  @Test
  void anEmptyAllowListOpensEverythingButTheRefused() {
    String rules = NetworkRules.vmRuleSet(new NetworkPolicy(NetworkPolicy.Mode.EGRESS, List.of(), 0), "10.200.0.2", REFUSED);
    assertThat(rules.indexOf("reject with icmpx")).isLessThan(rules.indexOf("meta nfproto ipv4 accept"));
  }

  @Test
  void nftAcceptsTheRuleSets() throws Exception {
    if (Command.of("sh", "-c", "command -v nft").runAllowingFailure().exitCode() != 0) {
      return;   // scripts/install-deps.sh installs it; the NetworkIT needs it in any case
    }
    NetworkPolicy policy = new NetworkPolicy(NetworkPolicy.Mode.EGRESS,
        List.of(AllowRule.parse("10.1.2.0/24:443"), AllowRule.parse("0.0.0.0/0")), 0);
    Command.of("nft", "--check", "-f", "-").input(NetworkRules.vmRuleSet(policy, "10.200.0.2", REFUSED)).run();
    Command.of("nft", "--check", "-f", "-").input(NetworkRules.hostRuleSet("fctest", "10.200.0.0/16")).run();
  }
}
