package dev.faascell.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.guest.protocol.Frame;
import dev.faascell.guest.protocol.FrameReader;
import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.guest.protocol.MessageType;
import dev.faascell.model.HostUsage;
import dev.faascell.vmm.SnapshotFiles;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.vmm.VmInstance;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session matches each reply to the one request outstanding and keeps the wire off its caller's thread. */
class GuestSessionTest {
  @TempDir
  Path dir;

  private final ExecutorService io = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-io"));
  private final BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> writers = new LinkedBlockingQueue<>();
  private ServerSocketChannel server;

  @AfterEach
  void close() throws IOException {
    io.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aReplyReachesTheListenerWithTheRequestItAnswers() throws Exception {
    try (GuestSession session = open(id -> id)) {
      HostRequest hello = new HostRequest.Hello();
      session.request(hello);
      Replied replied = (Replied) next();
      assertThat(replied.request()).isSameAs(hello);
      assertThat(replied.reply()).isInstanceOf(GuestReply.Ok.class);
      assertThat(writers.poll(5, TimeUnit.SECONDS)).as("written on the I/O executor").isEqualTo("test-io");
      session.request(new HostRequest.Ping());
      assertThat(((Replied) next()).reply()).isInstanceOf(GuestReply.Ok.class);
    }
  }

  @Test
  void aReplyToAnotherRequestIdIsAProtocolViolation() throws Exception {
    try (GuestSession session = open(id -> id + 7)) {
      session.request(new HostRequest.Hello());
      Lost lost = (Lost) next();
      assertThat(lost.protocolViolation()).isTrue();
      assertThat(lost.reason()).contains("reply to request 8 while waiting for 1");
    }
  }

  @Test
  void aClosedSessionReportsNothingMore() throws Exception {
    GuestSession session = open(id -> id);
    session.close();
    assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).as("closing is not a lost guest").isNull();
  }

  private Object next() throws InterruptedException {
    Object event = heard.poll(5, TimeUnit.SECONDS);
    assertThat(event).as("the listener heard something").isNotNull();
    return event;
  }

  private record Replied(HostRequest request, GuestReply reply) {}

  private record Lost(String reason, boolean protocolViolation) {}

  /** Opens a session to a guest that answers OK to every request, under the id {@code replyId} gives. */
  private GuestSession open(IntUnaryOperator replyId) throws IOException {
    Path socket = dir.resolve("channel.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread guest = new Thread(() -> {
      try (SocketChannel host = server.accept()) {
        FrameReader reader = FrameReader.ofHostFrames(host, 1 << 20);
        while (true) {
          Frame request = reader.read();
          ByteBuffer reply = new Frame(MessageType.OK, replyId.applyAsInt(request.requestId()), List.of()).encode();
          while (reply.hasRemaining()) {
            host.write(reply);
          }
        }
      } catch (Exception closed) {
        // the test is over
      }
    }, "scripted-guest");
    guest.setDaemon(true);
    guest.start();
    GuestSession.Listener listener = new GuestSession.Listener() {
      @Override
      public void replied(HostRequest request, GuestReply reply, HostUsage usage) {
        heard.add(new Replied(request, reply));
      }

      @Override
      public void lost(String reason, boolean protocolViolation) {
        heard.add(new Lost(reason, protocolViolation));
      }
    };
    ExecutorService recordingIo = io;
    return GuestSession.open(new ChannelOnly(socket), Duration.ofSeconds(5), 1 << 20, command ->
        recordingIo.execute(() -> {
          writers.add(Thread.currentThread().getName());
          command.run();
        }), false, listener);
  }

  /** A VM that is nothing but its agent's channel socket. */
  private record ChannelOnly(Path channelSocket) implements VmInstance {
    @Override
    public String id() {
      return "vm-test";
    }

    @Override
    public long pid() {
      return ProcessHandle.current().pid();
    }

    @Override
    public boolean isAlive() {
      return true;
    }

    @Override
    public CompletableFuture<Integer> exited() {
      return new CompletableFuture<>();
    }

    @Override
    public SnapshotFiles snapshot(Path dir, SnapshotFormat format) {
      throw new UnsupportedOperationException("not a real VM");
    }

    @Override
    public void stop(long graceMillis) {
    }

    @Override
    public void kill() {
    }

    @Override
    public String diagnostics() {
      return "";
    }
  }
}
