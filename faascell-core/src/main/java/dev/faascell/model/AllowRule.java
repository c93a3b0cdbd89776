package dev.faascell.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One destination a function with network {@code egress} may connect to: an IPv4 network and,
 * optionally, one port (TCP and UDP); written {@code CIDR[:PORT]}, e.g. {@code 10.1.2.0/24:443}. The
 * network is kept in its canonical form: a rule whose address has host bits set is refused, since it
 * almost always means a mistyped prefix length.
 *
 * @param port 1-65535, or 0 for every port
 */
public record AllowRule(int network, int prefixLength, int port) {
  private static final Pattern FORM = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})(?::(\\d{1,5}))?");

  public AllowRule {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new InvalidInputException("a prefix length is 0 to 32, not " + prefixLength);
    }
    if (port < 0 || port > 65535) {
      throw new InvalidInputException("a port is 1 to 65535, not " + port);
    }
    if ((network & ~mask(prefixLength)) != 0) {
      throw new InvalidInputException("network.allow " + Ipv4.format(network) + "/" + prefixLength
          + " has host bits set: did you mean " + Ipv4.format(network & mask(prefixLength)) + "/" + prefixLength + "?");
    }
  }

  /** Parses {@code CIDR[:PORT]}; anything else is refused with a message that shows the form. */
  public static AllowRule parse(String text) {
    Matcher m = text == null ? null : FORM.matcher(text.strip());
    if (m == null || !m.matches()) {
      throw new InvalidInputException("network.allow entry '" + text + "' is not CIDR[:PORT], e.g. 10.1.2.0/24:443 or 10.9.9.9/32");
    }
    int address = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        throw new InvalidInputException("network.allow entry '" + text + "' has an octet over 255");
      }
      address = address << 8 | octet;
    }
    int port = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
    if (m.group(6) != null && (port < 1 || port > 65535)) {
      throw new InvalidInputException("network.allow entry '" + text + "' has port " + port + "; ports are 1 to 65535");
    }
    return new AllowRule(address, Integer.parseInt(m.group(5)), port);
  }

  public static int mask(int prefixLength) {
    return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
  }

  /** The network in CIDR notation, without the port. */
  public String cidr() {
    return Ipv4.format(network) + "/" + prefixLength;
  }

  @Override
  public String toString() {
    return cidr() + (port == 0 ? "" : ":" + port);
  }
}
