package dev.faascell.vmm.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.time.Duration;

/**
 * A QEMU Machine Protocol client over the VM's QMP Unix socket, with the JDK alone. One command at a
 * time from one thread; asynchronous events that arrive meanwhile are kept for {@link #events()}.
 */
public final class QmpClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_KEPT_EVENTS = 64;

  private final SocketChannel channel;
  private final BufferedReader reader;
  private final List<JsonNode> events = new ArrayList<>();

  private QmpClient(SocketChannel channel) {
    this.channel = channel;
    this.reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
  }

  /** Connects as soon as QEMU has created the socket (it does so early in its start-up). */
  public static QmpClient connect(Path socket, Duration timeout, BooleanSupplier qemuAlive) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return connect(socket);
      } catch (IOException e) {
        if (!qemuAlive.getAsBoolean() || System.nanoTime() > deadline) {
          throw new IOException("no QMP on " + socket + ": " + e.getMessage(), e);
        }
        QemuMicrovm.sleepBriefly();
      }
    }
  }

  /** Connects, reads the greeting and leaves capabilities negotiation mode. */
  public static QmpClient connect(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      QmpClient client = new QmpClient(channel);
      JsonNode greeting = client.readMessage();
      if (!greeting.has("QMP")) {
        throw new IOException("not a QMP greeting: " + greeting);
      }
      client.execute("qmp_capabilities", Map.of());
      return client;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Runs a command and returns its "return" value; a QMP error becomes a {@link QmpException}. */
  public JsonNode execute(String command, Map<String, ?> arguments) throws IOException {
    ObjectNode request = JSON.createObjectNode().put("execute", command);
    if (!arguments.isEmpty()) {
      request.set("arguments", JSON.valueToTree(arguments));
    }
    ByteBuffer bytes = ByteBuffer.wrap((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    while (true) {
      JsonNode reply = readMessage();
      if (reply.has("event")) {
        keep(reply);
      } else if (reply.has("error")) {
        throw new QmpException(command, reply.get("error").path("desc").asText(reply.get("error").toString()));
      } else {
        return reply.path("return");
      }
    }
  }

  public JsonNode execute(String command) throws IOException {
    return execute(command, Map.of());
  }

  /** Events received so far (most recent last), e.g. STOP, RESUME, SHUTDOWN. */
  public List<JsonNode> events() {
    return List.copyOf(events);
  }

  private void keep(JsonNode event) {
    if (events.size() == MAX_KEPT_EVENTS) {
      events.remove(0);
    }
    events.add(event);
  }

  private JsonNode readMessage() throws IOException {
    String line = reader.readLine();
    if (line == null) {
      throw new IOException("QMP connection closed by QEMU");
    }
    return JSON.readTree(line);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // the VM is going away anyway
    }
  }
}
