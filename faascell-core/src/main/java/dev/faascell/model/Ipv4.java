package dev.faascell.model;

/** IPv4 addresses as ints, the form the network rules compute with. */
public final class Ipv4 {
  private Ipv4() {
  }

  public static String format(int address) {
    return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
  }
}
