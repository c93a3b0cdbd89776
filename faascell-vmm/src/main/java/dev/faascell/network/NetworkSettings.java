package dev.faascell.network;

import dev.faascell.model.AllowRule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The NetworkManager's settings (faascell.network in reference.conf).
 *
 * @param range               the host-side addresses: each VM's namespace takes one /30 of it (the host's
 *                            end .1, the namespace's end .2), so a /16 serves 16384 VMs at once
 * @param namePrefix          starts the name of every namespace, interface and nftables table this node
 *                            makes, so that cleanup after a crash removes exactly those and no other node's
 * @param bandwidthMbit       the default limit on a VM's traffic each way (tc), 0 for none; a function's
 *                            own network.bandwidthMbit overrides it
 * @param spareNamespaces     namespaces kept set up after their VM ended, for the next VM to take
 * @param hostForwarding      let the node switch on the host's IPv4 forwarding, without which no VM's
 *                            traffic leaves its namespace
 */
public record NetworkSettings(AllowRule range, String namePrefix, int bandwidthMbit, int spareNamespaces,
                              boolean hostForwarding) {
  /** Linux limits interface names to 15 bytes: the prefix, a dash and up to 6 digits of a slot number. */
  public static final int MAX_PREFIX_LENGTH = 8;

  public NetworkSettings {
    // at most 2^18 slots: their numbers have at most 6 digits, which the interface names have room for
    if (range.port() != 0 || range.prefixLength() > 30 || range.prefixLength() < 12) {
      throw new IllegalArgumentException("faascell.network.address-range must be a CIDR from /12 to /30 without a port, not "
          + range);
    }
    if (!namePrefix.matches("[a-z][a-z0-9]{1," + (MAX_PREFIX_LENGTH - 1) + "}")) {
      throw new IllegalArgumentException("faascell.network.name-prefix must be 2 to " + MAX_PREFIX_LENGTH
          + " of [a-z0-9], starting with a letter, not '" + namePrefix + "'");
    }
    if (bandwidthMbit < 0 || spareNamespaces < 0) {
      throw new IllegalArgumentException("faascell.network.bandwidth-mbit and spare-namespaces must not be negative");
    }
  }

  /** How many VMs can have a namespace at once. */
  public int slots() {
    return 1 << (32 - range.prefixLength() - 2);
  }

  /**
   * The prefix derived from the node's run dir ("fc" and 4 hex digits): a run dir belongs to one daemon
   * at a time, and a daemon restarted after a crash uses the same one, so it finds what its predecessor left.
   */
  public static String prefixFor(Path runDir) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(runDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return "fc" + HexFormat.of().formatHex(digest).substring(0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
