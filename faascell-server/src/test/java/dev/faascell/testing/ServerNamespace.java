package dev.faascell.testing;

import dev.faascell.util.Command;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A network namespace the test makes for itself, linked to the host by a veth pair, with small HTTP
 * servers in it: the only place outside loopback that network tests send traffic to. {@link #close}
 * stops the servers and removes the namespace (and with it the link).
 */
public final class ServerNamespace implements AutoCloseable {
  private final String name;
  private final String hostAddress;
  private final String address;
  private final List<Process> servers = new ArrayList<>();

  private ServerNamespace(String name, String hostAddress, String address) {
    this.name = name;
    this.hostAddress = hostAddress;
    this.address = address;
  }

  /**
   * A namespace {@code name} whose end of the link has {@code subnet}'s .2 (the host's end .1), serving
   * {@code page} as /index.html on each of {@code ports}.
   *
   * @param subnet the first address of a /30, e.g. "10.214.0.0"
   */
  public static ServerNamespace start(String name, String subnet, Path webRoot, String page, int... ports) throws IOException {
    String[] octets = subnet.split("\\.");
    String base = octets[0] + "." + octets[1] + "." + octets[2] + ".";
    int last = Integer.parseInt(octets[3]);
    ServerNamespace ns = new ServerNamespace(name, base + (last + 1), base + (last + 2));
    try {
      Command.of("ip", "netns", "add", name).run();
      Command.of("ip", "link", "add", name, "type", "veth", "peer", "name", "eth0", "netns", name).run();
      Command.of("ip", "addr", "add", ns.hostAddress + "/30", "dev", name).run();
      Command.of("ip", "link", "set", name, "up").run();
      Command.of("ip", "-n", name, "addr", "add", ns.address + "/30", "dev", "eth0").run();
      Command.of("ip", "-n", name, "link", "set", "eth0", "up").run();
      Command.of("ip", "-n", name, "link", "set", "lo", "up").run();
      Command.of("ip", "-n", name, "route", "add", "default", "via", ns.hostAddress).run();
      Files.createDirectories(webRoot);
      Files.writeString(webRoot.resolve("index.html"), page);
      for (int port : ports) {
        ns.servers.add(new ProcessBuilder("ip", "netns", "exec", name, "python3", "-m", "http.server", Integer.toString(port),
            "--bind", ns.address, "--directory", webRoot.toString())
            .redirectErrorStream(true).redirectOutput(webRoot.resolveSibling("server-" + port + ".log").toFile()).start());
        Await.until(() -> ns.accepts(port), Duration.ofSeconds(30), "the test's HTTP server on port " + port);
      }
      return ns;
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
  }

  /** The servers' address. */
  public String address() {
    return address;
  }

  /** Whether a connection from the host to {@code port} in the namespace succeeds. */
  public boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    servers.forEach(Process::destroyForcibly);
    try {
      Command.of("ip", "netns", "del", name).runAllowingFailure();
      Command.of("ip", "link", "del", name).runAllowingFailure();
    } catch (IOException ignored) {
      // nothing left to remove
    }
  }
}
