package dev.faascell.network;

import dev.faascell.model.AllowRule;
import dev.faascell.model.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The nftables rule sets, as text for {@code nft -f -} (one atomic transaction each). Pure functions of
 * their inputs, so that what a VM may reach can be read and tested without a kernel.
 */
public final class NetworkRules {
  /** The table inside each VM's namespace. */
  static final String VM_TABLE = "faascell";

  private NetworkRules() {
  }

  /**
   * The rules of one VM's namespace, replacing whatever an earlier VM of the namespace had. Packets from
   * the guest are checked against the allow-list every time (no "established" shortcut that way), so a
   * recycled namespace's old connection-tracking entries open nothing for its next VM. The node's own
   * addresses and the whole VM range (other VMs, the host's ends of their links) are refused before the
   * allow-list: no allow-list entry can open them.
   *
   * @param namespaceAddress the namespace's end of its link to the host: the guest's traffic leaves with it
   * @param refused          the node's own addresses and the VM range, as CIDRs
   */
  public static String vmRuleSet(NetworkPolicy policy, String namespaceAddress, List<String> refused) {
    String guest = GuestNetwork.TAP;
    String uplink = GuestNetwork.UPLINK;
    List<String> lines = new ArrayList<>();
    lines.add("table inet " + VM_TABLE + " {}");
    lines.add("delete table inet " + VM_TABLE);
    lines.add("table inet " + VM_TABLE + " {");
    lines.add("  chain input { type filter hook input priority filter; policy drop; }");
    lines.add("  chain forward {");
    lines.add("    type filter hook forward priority filter; policy drop;");
    lines.add("    iifname \"" + uplink + "\" oifname \"" + guest + "\" ct state established,related accept");
    lines.add("    iifname \"" + guest + "\" oifname \"" + uplink + "\" jump egress");
    lines.add("  }");
    lines.add("  chain egress {");
    if (!refused.isEmpty()) {
      lines.add("    ip daddr { " + String.join(", ", refused) + " } reject with icmpx type admin-prohibited");
    }
    if (policy.allow().isEmpty()) {
      lines.add("    meta nfproto ipv4 accept");
    }
    for (AllowRule rule : policy.allow()) {
      lines.add("    ip daddr " + rule.cidr() + (rule.port() == 0 ? "" : " meta l4proto { tcp, udp } th dport " + rule.port())
          + " accept");
    }
    lines.add("    reject with icmpx type admin-prohibited");
    lines.add("  }");
    lines.add("  chain postrouting {");
    lines.add("    type nat hook postrouting priority srcnat; policy accept;");
    lines.add("    oifname \"" + uplink + "\" snat ip to " + namespaceAddress);
    lines.add("  }");
    lines.add("}");
    return lines.stream().collect(Collectors.joining("\n", "", "\n"));
  }

  /**
   * The node's table in the host's namespace: nothing arriving from a VM's link reaches the host itself
   * (the daemon's API, any other service on any of its addresses), no VM's traffic is forwarded to
   * another VM's link, and what leaves for the world is masqueraded to the host's address.
   */
  public static String hostRuleSet(String prefix, String range) {
    String links = "\"" + prefix + "-*\"";
    return String.join("\n",
        "table inet " + prefix + " {}",
        "delete table inet " + prefix,
        "table inet " + prefix + " {",
        "  chain input { type filter hook input priority filter - 1; policy accept; iifname " + links + " drop; }",
        "  chain forward {",
        "    type filter hook forward priority filter - 1; policy accept;",
        "    iifname " + links + " oifname " + links + " drop",
        "  }",
        "  chain postrouting {",
        "    type nat hook postrouting priority srcnat; policy accept;",
        "    ip saddr " + range + " oifname != " + links + " masquerade",
        "  }",
        "}", "");
  }
}
