package dev.faascell.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One VM's network: the namespace its VMM runs in (holding the tap {@link GuestNetwork#TAP}), and the
 * host's end of the namespace's link, whose counters are the VM's traffic.
 *
 * @param slot        the namespace's number: its /30 of the node's address range
 * @param name        the namespace's name, also the name of the host's end of its link
 * @param shaped      whether a bandwidth limit (tc) was set on it
 */
public record NetworkAttachment(int slot, String name, boolean shaped) {
  /** The path {@code nsenter --net=} takes to run a program (the VMM) in the namespace. */
  public Path namespacePath() {
    return Path.of("/run/netns", name);
  }

  /** Bytes the guest received and sent so far (the host's end counts them the other way round); 0 if unknown. */
  public Traffic traffic() {
    Path statistics = Path.of("/sys/class/net", name, "statistics");
    return new Traffic(counter(statistics.resolve("tx_bytes")), counter(statistics.resolve("rx_bytes")));
  }

  private static long counter(Path file) {
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /** Bytes into and out of a guest. */
  public record Traffic(long inBytes, long outBytes) {
    public static final Traffic NONE = new Traffic(0, 0);
  }
}
