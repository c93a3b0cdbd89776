package dev.faascell.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.guest.protocol.Frame;
import dev.faascell.guest.protocol.FrameReader;
import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.guest.protocol.MessageType;
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
  private final BlockingQueue<GuestSession.Heard> heard = new LinkedBlockingQueue<>();
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
      GuestSession.Exchange replied = (GuestSession.Exchange) next();
      assertThat(replied.request()).isSameAs(hello);
      assertThat(replied.reply()).isInstanceOf(GuestReply.Ok.class);
      assertThat(replied.sentAt()).as("timed on the wire").isPositive().isLessThanOrEqualTo(replied.repliedAt());
      assertThat(writers.poll(5, TimeUnit.SECONDS)).as("written on the I/O executor").isEqualTo("test-io");
      session.request(new HostRequest.Ping());
      assertThat(((GuestSession.Exchange) next()).reply()).isInstanceOf(GuestReply.Ok.class);
    }
  }

  @Test
  void aReplyToAnotherRequestIdIsAProtocolViolation() throws Exception {
    try (GuestSession session = open(id -> id + 7)) {
      session.request(new HostRequest.Hello());
      GuestSession.Lost lost = (GuestSession.Lost) next();
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

  private GuestSession.Heard next() throws InterruptedException {
    GuestSession.Heard event = heard.poll(5, TimeUnit.SECONDS);
    assertThat(event).as("the listener heard something").isNotNull();
    return event;
  }

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
    GuestSession.Listener listener = heard::add;
    ExecutorService recordingIo = io;
    return GuestSession.open(new ChannelOnly(socket), Duration.ofSeconds(5), 1 << 20, command ->
        recordingIo.execute(() -> {
          writers.add(Thread.currentThread().getName());
          command.run();
        }), false, System::nanoTime, listener);
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
