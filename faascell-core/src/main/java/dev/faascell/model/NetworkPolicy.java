package dev.faascell.model;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What network a function's VMs get. {@code none} (the default): no network device at all, the guest
 * sees only {@code lo}. {@code egress}: a virtio-net device in a network namespace of the VM's own,
 * allowed to open connections to the destinations in {@code allow} (all destinations when it is
 * empty) except the node's own addresses and other VMs, which are always refused (docs/NETWORK.md).
 *
 * @param bandwidthMbit a limit on the VM's traffic each way in Mbit/s; 0 takes the node's default
 *                      (faascell.network.bandwidth-mbit)
 */
public record NetworkPolicy(Mode mode, List<AllowRule> allow, int bandwidthMbit) {
  public static final NetworkPolicy NONE = new NetworkPolicy(Mode.NONE, List.of(), 0);
  /** A cap that keeps one VM's rule set small enough to load in one step. */
  public static final int MAX_ALLOW_RULES = 64;
  public static final int MAX_BANDWIDTH_MBIT = 100_000;

  public NetworkPolicy {
    if (mode == null) {
      throw new InvalidInputException("network.mode is required: none or egress");
    }
    allow = List.copyOf(allow == null ? List.of() : allow);
    if (mode == Mode.NONE && (!allow.isEmpty() || bandwidthMbit != 0)) {
      throw new InvalidInputException("network.allow and network.bandwidthMbit need network mode egress");
    }
    if (allow.size() > MAX_ALLOW_RULES) {
      throw new InvalidInputException("network.allow has " + allow.size() + " entries; at most " + MAX_ALLOW_RULES);
    }
    if (bandwidthMbit < 0 || bandwidthMbit > MAX_BANDWIDTH_MBIT) {
      throw new InvalidInputException("network.bandwidthMbit must be 0 (the node's default) to " + MAX_BANDWIDTH_MBIT);
    }
  }

  public boolean hasNetwork() {
    return mode != Mode.NONE;
  }

  /** A canonical one-line form (for the function's version digest and the store). */
  public String canonical() {
    return mode.wireName() + " " + allow.stream().map(AllowRule::toString).collect(Collectors.joining(","))
        + " " + bandwidthMbit;
  }

  public enum Mode {
    NONE, EGRESS;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String text) {
      for (Mode mode : values()) {
        if (mode.wireName().equals(text)) {
          return mode;
        }
      }
      throw new InvalidInputException("unknown network mode '" + text + "': use none or egress");
    }
  }
}
