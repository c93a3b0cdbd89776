package dev.faascell.network;

/**
 * The guest side of every VM's network, the same in every namespace and every clone: a snapshot's
 * clones wake with the MAC and address of the VM that was snapshotted, and need no reconfiguration,
 * because each finds the same tap with the same gateway in a namespace of its own (the guest image's
 * init.sh sets these addresses; keep both in step).
 */
public final class GuestNetwork {
  /** The tap's name inside each namespace. */
  public static final String TAP = "tap0";
  /** The namespace's end of the veth pair to the host. */
  public static final String UPLINK = "veth0";
  /** The guest's eth0: a locally administered MAC. */
  public static final String GUEST_MAC = "06:00:ac:10:00:02";
  public static final String GUEST_ADDRESS = "172.16.0.2";
  /** The tap's address, the guest's default gateway. */
  public static final String GATEWAY = "172.16.0.1";
  public static final int PREFIX_LENGTH = 30;

  private GuestNetwork() {
  }
}
