package dev.faascell.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.model.Ipv4;
import dev.faascell.model.NetworkPolicy;
import dev.faascell.util.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NetworkManager: gives each VM of a function with network {@code egress} a network namespace of
 * its own — a tap for the guest (the same MAC and address in every namespace, so snapshot clones need
 * no reconfiguration), a veth link to the host with a /30 of the node's range, NAT, and the function's
 * nftables rules — and takes it back when the VM ends, keeping a few set up for the next VMs (made on
 * demand only: a background top-up would compete for the CPU with the very starts it is meant to speed up).
 * Functions without network never reach it: a node that runs none makes nothing.
 *
 * <p>Not an actor: everything it does is running {@code ip}, {@code nft} and {@code tc}, which blocks,
 * so it is called on the VMM driver's I/O threads (a VM's start and exit); its state is two small
 * collections under this object's lock, which no command runs under. Everything it makes is named with
 * the node's prefix, so that {@link #reapStale} removes exactly what a killed predecessor left.
 */
public final class NetworkManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetworkManager.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final Path HOST_FORWARDING = Path.of("/proc/sys/net/ipv4/ip_forward");

  private final NetworkSettings settings;
  private final TreeSet<Integer> inUse = new TreeSet<>();
  private final Deque<Integer> spare = new ArrayDeque<>();
  /** Slots being set up or torn down: taken, but neither in use nor spare yet. */
  private final TreeSet<Integer> busy = new TreeSet<>();
  private boolean hostReady;
  private List<String> refused;

  public NetworkManager(NetworkSettings settings) {
    this.settings = settings;
  }

  public NetworkSettings settings() {
    return settings;
  }

  /**
   * A namespace for VM {@code vmId} with {@code policy}'s rules: a spare one if there is one, else a
   * new one. Blocks. Fails with a message naming what could not be made.
   */
  public NetworkAttachment attach(String vmId, NetworkPolicy policy) throws IOException {
    if (!policy.hasNetwork()) {
      throw new IllegalArgumentException("a VM without network needs no namespace");
    }
    prepareHost();
    Integer slot = takeSpare();
    if (slot == null) {
      slot = reserveNew();
      try {
        create(slot);
      } catch (IOException | RuntimeException e) {
        synchronized (this) {
          busy.remove(slot);
        }
        throw new IOException("cannot create network namespace " + name(slot) + " for " + vmId + ": " + e.getMessage(), e);
      }
    }
    try {
      NetworkAttachment attachment = configure(slot, policy);
      synchronized (this) {
        busy.remove(slot);
        inUse.add(slot);
      }
      log.debug("event=network-attached vm={} namespace={}", vmId, attachment.name());
      return attachment;
    } catch (IOException | RuntimeException e) {
      remove(slot);
      synchronized (this) {
        busy.remove(slot);
      }
      throw new IOException("cannot apply the network rules of " + vmId + " in " + name(slot) + ": " + e.getMessage(), e);
    }
  }

  /** Takes a VM's namespace back (its VM has exited): kept as a spare, or removed. Blocks. */
  public void release(NetworkAttachment attachment) {
    int slot = attachment.slot();
    synchronized (this) {
      if (!inUse.remove(slot)) {
        return;
      }
      busy.add(slot);
    }
    boolean keep;
    synchronized (this) {
      keep = spare.size() < settings.spareNamespaces();
    }
    try {
      if (keep && attachment.shaped()) {
        Command.of("tc", "-n", attachment.name(), "-batch", "-").timeout(COMMAND_TIMEOUT)
            .input("qdisc del dev " + GuestNetwork.UPLINK + " root\nqdisc del dev " + GuestNetwork.TAP + " root\n").run();
      }
    } catch (IOException e) {
      log.warn("event=network-unshape-failed namespace={} reason=\"{}\" action=remove", attachment.name(), e.getMessage());
      keep = false;
    }
    if (!keep) {
      remove(slot);
    }
    synchronized (this) {
      busy.remove(slot);
      if (keep) {
        spare.addLast(slot);
      }
    }
  }

  /** Namespaces whose VM runs. */
  public synchronized int inUse() {
    return inUse.size();
  }

  /** Namespaces set up and waiting for a VM. */
  public synchronized int spare() {
    return spare.size();
  }

  /**
   * Removes every namespace, link and nftables table named with this node's prefix: what a daemon
   * killed with SIGKILL left (its VMMs must be gone already). Returns how many namespaces it removed.
   */
  public int reapStale() {
    int namespaces = 0;
    try {
      for (String name : namesOf(Command.of("ip", "-j", "netns", "list").timeout(COMMAND_TIMEOUT).run(), "name")) {
        if (ours(name)) {
          Command.of("ip", "netns", "del", name).timeout(COMMAND_TIMEOUT).runAllowingFailure();
          namespaces++;
        }
      }
      for (String name : namesOf(Command.of("ip", "-j", "link", "show").timeout(COMMAND_TIMEOUT).run(), "ifname")) {
        if (ours(name)) {
          Command.of("ip", "link", "del", name).timeout(COMMAND_TIMEOUT).runAllowingFailure();
        }
      }
      if (hostTableExists()) {
        Command.of("nft", "delete", "table", "inet", settings.namePrefix()).timeout(COMMAND_TIMEOUT).run();
      }
    } catch (IOException e) {
      log.warn("event=network-reap-failed prefix={} reason=\"{}\"", settings.namePrefix(), e.getMessage());
    }
    if (namespaces > 0) {
      log.info("event=reaped-stale-namespaces count={} prefix={}", namespaces, settings.namePrefix());
    }
    synchronized (this) {
      hostReady = false;
    }
    return namespaces;
  }

  /** Removes everything this node made (its VMs are gone). Blocks. */
  @Override
  public void close() {
    boolean made;
    synchronized (this) {
      made = hostReady || !inUse.isEmpty() || !spare.isEmpty();
      inUse.clear();
      spare.clear();
    }
    if (made) {
      reapStale();
    }
  }

  private boolean ours(String name) {
    return name.startsWith(settings.namePrefix() + "-");
  }

  private boolean hostTableExists() throws IOException {
    String tables = Command.of("nft", "list", "tables").timeout(COMMAND_TIMEOUT).run();
    return tables.lines().anyMatch(line -> line.strip().equals("table inet " + settings.namePrefix()));
  }

  private static List<String> namesOf(String json, String field) throws IOException {
    List<String> names = new ArrayList<>();
    if (json.isBlank()) {
      return names;
    }
    for (JsonNode entry : JSON.readTree(json)) {
      names.add(entry.path(field).asText());
    }
    return names;
  }

  /** Once per node lifetime: forwarding on, the node's host table, the addresses no VM may reach. */
  private synchronized void prepareHost() throws IOException {
    if (hostReady) {
      return;
    }
    if (settings.hostForwarding() && !Files.readString(HOST_FORWARDING).strip().equals("1")) {
      Files.writeString(HOST_FORWARDING, "1");
      log.info("event=host-forwarding-on reason=\"VMs with network egress route through the host\"");
    }
    Command.of("nft", "-f", "-").timeout(COMMAND_TIMEOUT)
        .input(NetworkRules.hostRuleSet(settings.namePrefix(), settings.range().cidr())).run();
    List<String> denied = new ArrayList<>(List.of(settings.range().cidr()));
    for (JsonNode link : JSON.readTree(Command.of("ip", "-j", "-4", "addr", "show").timeout(COMMAND_TIMEOUT).run())) {
      for (JsonNode address : link.path("addr_info")) {
        String local = address.path("local").asText();
        if (!local.isEmpty() && !local.startsWith("127.")) {
          denied.add(local + "/32");
        }
      }
    }
    refused = List.copyOf(denied);
    hostReady = true;
  }

  private synchronized Integer takeSpare() {
    Integer slot = spare.pollFirst();
    if (slot != null) {
      busy.add(slot);
    }
    return slot;
  }

  private synchronized int reserveNew() throws IOException {
    for (int slot = 0; slot < settings.slots(); slot++) {
      if (!inUse.contains(slot) && !spare.contains(slot) && !busy.contains(slot)) {
        busy.add(slot);
        return slot;
      }
    }
    throw new IOException("all " + settings.slots() + " namespaces of faascell.network.address-range "
        + settings.range().cidr() + " are in use");
  }

  String name(int slot) {
    return settings.namePrefix() + "-" + slot;
  }

  private String hostAddress(int slot) {
    return Ipv4.format(settings.range().network() + 4 * slot + 1);
  }

  private String namespaceAddress(int slot) {
    return Ipv4.format(settings.range().network() + 4 * slot + 2);
  }

  /**
   * The namespace, its link to the host, the tap, routes and forwarding; no rules yet (it drops nothing,
   * carries nothing). On failure it removes what it made, and only that: a namespace or interface of
   * the same name that was there before (not this node's to remove) stays.
   */
  private void create(int slot) throws IOException {
    String name = name(slot);
    Command.of("ip", "netns", "add", name).timeout(COMMAND_TIMEOUT).run();
    try {
      // the pair is made with one end in the namespace: removing the namespace removes both ends
      Command.of("ip", "link", "add", name, "type", "veth", "peer", "name", GuestNetwork.UPLINK, "netns", name)
          .timeout(COMMAND_TIMEOUT).run();
    } catch (IOException | RuntimeException e) {
      Command.of("ip", "netns", "del", name).timeout(COMMAND_TIMEOUT).runAllowingFailure();
      throw e;
    }
    try {
      configureLinks(slot);
    } catch (IOException | RuntimeException e) {
      remove(slot);
      throw e;
    }
  }

  private void configureLinks(int slot) throws IOException {
    String name = name(slot);
    Command.of("ip", "-batch", "-").timeout(COMMAND_TIMEOUT).input(String.join("\n",
        "addr add " + hostAddress(slot) + "/30 dev " + name,
        "link set " + name + " up", "")).run();
    Command.of("ip", "-n", name, "-batch", "-").timeout(COMMAND_TIMEOUT).input(String.join("\n",
        "link set lo up",
        "addr add " + namespaceAddress(slot) + "/30 dev " + GuestNetwork.UPLINK,
        "link set " + GuestNetwork.UPLINK + " up",
        // no owner: only a process with CAP_NET_ADMIN opens it, i.e. QEMU before it drops to its jail uid
        "tuntap add dev " + GuestNetwork.TAP + " mode tap",
        "addr add " + GuestNetwork.GATEWAY + "/" + GuestNetwork.PREFIX_LENGTH + " dev " + GuestNetwork.TAP,
        "link set " + GuestNetwork.TAP + " up",
        "route add default via " + hostAddress(slot), "")).run();
    Command.of("nsenter", "--net=" + Path.of("/run/netns", name), "sysctl", "-qw", "net.ipv4.ip_forward=1")
        .timeout(COMMAND_TIMEOUT).run();
  }

  /** The VM's rules (one atomic nft transaction) and, if it has one, its bandwidth limit. */
  private NetworkAttachment configure(int slot, NetworkPolicy policy) throws IOException {
    String name = name(slot);
    List<String> denied;
    synchronized (this) {
      denied = refused;
    }
    Command.of("nsenter", "--net=" + Path.of("/run/netns", name), "nft", "-f", "-").timeout(COMMAND_TIMEOUT)
        .input(NetworkRules.vmRuleSet(policy, namespaceAddress(slot), denied)).run();
    int mbit = policy.bandwidthMbit() > 0 ? policy.bandwidthMbit() : settings.bandwidthMbit();
    if (mbit > 0) {
      String shape = " root tbf rate " + mbit + "mbit burst " + Math.max(16, mbit * 2) + "kb latency 50ms\n";
      Command.of("tc", "-n", name, "-batch", "-").timeout(COMMAND_TIMEOUT)
          .input("qdisc replace dev " + GuestNetwork.UPLINK + shape + "qdisc replace dev " + GuestNetwork.TAP + shape).run();
    }
    return new NetworkAttachment(slot, name, mbit > 0);
  }

  /** Removes a slot's namespace (with its tap and rules) and the host's end of its link. */
  private void remove(int slot) {
    String name = name(slot);
    try {
      Command.of("ip", "netns", "del", name).timeout(COMMAND_TIMEOUT).runAllowingFailure();
      // deleting the namespace deletes its end of the veth pair, and with it the host's; a half-made one may remain
      Command.of("ip", "link", "del", name).timeout(COMMAND_TIMEOUT).runAllowingFailure();
    } catch (IOException e) {
      log.warn("event=network-remove-failed namespace={} reason=\"{}\"", name, e.getMessage());
    }
  }
}
