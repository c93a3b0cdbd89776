package dev.faascell.vmm.fake;

import dev.faascell.guest.protocol.FieldTag;
import dev.faascell.guest.protocol.Frame;
import dev.faascell.guest.protocol.FrameReader;
import dev.faascell.guest.protocol.MessageType;
import dev.faascell.guest.protocol.ProtocolException;
import dev.faascell.vmm.SnapshotFiles;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmmException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A scripted guest agent. The function's handler names its behaviour on RUN:
 * {@code echo} returns the payload; {@code fail} raises; {@code hang} never answers; {@code crash}
 * makes the VM exit; {@code garbage} writes bytes that are not the protocol; {@code sleep} waits the
 * payload's number of milliseconds, then echoes; {@code resume} returns what the RUN brought the guest
 * up to date with ({@code realtime=<ns> entropy=<bytes>}, {@code none} for what it did not carry).
 * Handler {@code bad-init} fails INIT.
 */
final class FakeGuest implements VmInstance {
  private final String id;
  private final Path socket;
  private final long bootMillis;
  private final ServerSocketChannel server;
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();
  private volatile SocketChannel client;
  private volatile String handler = "";

  /** A guest restored from a snapshot that {@link #snapshot} wrote: it resumes with its function loaded. */
  static final String SNAPSHOT_MAGIC = "fake-snapshot:";

  FakeGuest(String id, Path socket, long bootMillis, String restoredHandler) throws IOException {
    this.id = id;
    this.socket = socket;
    this.bootMillis = bootMillis;
    this.handler = restoredHandler;
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread thread = new Thread(this::serve, "fake-guest-" + id);
    thread.setDaemon(true);
    thread.start();
  }

  private void serve() {
    try (SocketChannel accepted = server.accept()) {
      client = accepted;
      FrameReader reader = FrameReader.ofHostFrames(accepted, 64 << 20);
      while (true) {
        Frame request = reader.read();
        if (!answer(request)) {
          return;
        }
      }
    } catch (IOException | ProtocolException e) {
      // the host closed the channel or the VM was killed
    } finally {
      exit(0);
    }
  }

  /** Answers one request; false when the VM "exits". */
  private boolean answer(Frame request) throws IOException, ProtocolException {
    int id = request.requestId();
    switch (request.type()) {
      case HELLO -> {
        sleep(bootMillis);
        reply(MessageType.READY, id, List.of(Frame.Field.of(FieldTag.PROTOCOL_VERSION, 1),
            Frame.Field.of(FieldTag.AGENT_VERSION, "fake")));
      }
      case INIT -> {
        handler = request.string(FieldTag.HANDLER).orElse("");
        if (handler.equals("bad-init")) {
          reply(MessageType.ERROR, id, error("init", "ImportError: no module", false));
        } else {
          reply(MessageType.OK, id, List.of());
        }
      }
      case RUN -> {
        byte[] payload = request.bytes(FieldTag.PAYLOAD).orElse(new byte[0]);
        switch (handler) {
          case "fail" -> reply(MessageType.ERROR, id, error("function", "ValueError: boom", false));
          case "hang" -> exited.join();
          case "crash" -> {
            return false;
          }
          case "garbage" -> client.write(ByteBuffer.wrap("not the protocol at all".getBytes(StandardCharsets.UTF_8)));
          case "resume" -> result(id, ("realtime=" + request.number(FieldTag.REALTIME_NS).map(String::valueOf)
              .orElse("none") + " entropy=" + request.bytes(FieldTag.ENTROPY).map(e -> String.valueOf(e.length))
              .orElse("none")).getBytes(StandardCharsets.UTF_8));
          case "sleep" -> {
            sleep(Long.parseLong(new String(payload, StandardCharsets.UTF_8).strip()));
            result(id, payload);
          }
          default -> result(id, payload);
        }
      }
      case PING -> reply(MessageType.PONG, id, List.of());
      default -> reply(MessageType.OK, id, List.of());
    }
    return true;
  }

  private void result(int id, byte[] payload) throws IOException {
    reply(MessageType.RESULT, id, List.of(Frame.Field.of(FieldTag.PAYLOAD, payload), Frame.Field.of(FieldTag.EXEC_NS, 1000)));
  }

  private static List<Frame.Field> error(String kind, String message, boolean fatal) {
    return List.of(Frame.Field.of(FieldTag.ERROR_KIND, kind), Frame.Field.of(FieldTag.MESSAGE, message),
        Frame.Field.of(FieldTag.STDERR_TAIL, "stderr of " + kind), Frame.Field.of(FieldTag.FATAL, fatal ? 1 : 0),
        Frame.Field.of(FieldTag.EXEC_NS, 1000));
  }

  private void reply(MessageType type, int id, List<Frame.Field> fields) throws IOException {
    ByteBuffer frame = new Frame(type, id, fields).encode();
    while (frame.hasRemaining()) {
      client.write(frame);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void exit(int code) {
    try {
      server.close();
      if (client != null) {
        client.close();
      }
      Files.deleteIfExists(socket);
      Files.deleteIfExists(socket.getParent());
    } catch (IOException ignored) {
      // best effort, like a real VM's cleanup
    }
    exited.complete(code);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  public Path channelSocket() {
    return socket;
  }

  @Override
  public boolean isAlive() {
    return !exited.isDone();
  }

  @Override
  public CompletableFuture<Integer> exited() {
    return exited;
  }

  @Override
  public SnapshotFiles snapshot(Path dir, SnapshotFormat format) throws VmmException {
    SnapshotFiles files = SnapshotFiles.in(dir, format);
    try {
      Files.writeString(files.state(), SNAPSHOT_MAGIC + handler);
      if (files.ram().isPresent()) {
        Files.write(files.ram().get(), new byte[4096]);
      }
      return files;
    } catch (IOException e) {
      throw new VmmException("fake snapshot failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void stop(long graceMillis) {
    exit(0);
  }

  @Override
  public void kill() {
    exit(137);
  }

  @Override
  public String diagnostics() {
    return "fake guest " + id;
  }
}
