package dev.faascell.guest.protocol;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The host end of one VM's channel: the Unix socket QEMU exposes for the virtio-serial port.
 * {@link #send} belongs to the connection's owner (one request at a time, never concurrently);
 * {@link #receive()} blocks and belongs to one reader thread; {@link #close()} from any thread
 * unblocks that reader.
 */
public final class AgentConnection implements AutoCloseable {
  private final SocketChannel channel;
  private final FrameReader reader;
  private final AtomicInteger nextId = new AtomicInteger(1);

  private AgentConnection(SocketChannel channel, int maxGuestFrameBytes) {
    this.channel = channel;
    this.reader = FrameReader.ofGuestFrames(channel, maxGuestFrameBytes);
  }

  /**
   * Connects to the channel socket, retrying while the VMM has not created it yet.
   *
   * @param vmmAlive stops the retries as soon as the VMM process is gone
   */
  public static AgentConnection connect(Path socket, Duration timeout, BooleanSupplier vmmAlive,
                                        int maxGuestFrameBytes) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
    while (true) {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        channel.connect(address);
        return new AgentConnection(channel, maxGuestFrameBytes);
      } catch (IOException e) {
        channel.close();
        if (!vmmAlive.getAsBoolean()) {
          throw new IOException("the VMM exited before its channel socket " + socket + " accepted", e);
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("channel socket " + socket + " not ready after " + timeout.toMillis() + " ms", e);
        }
        sleepBriefly();
      }
    }
  }

  private static void sleepBriefly() throws IOException {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting", e);
    }
  }

  /** Sends a request and returns its id, which the guest's reply carries. */
  public int send(HostRequest request) throws IOException {
    int id = nextId.getAndIncrement();
    ByteBuffer frame = request.toFrame(id).encode();
    while (frame.hasRemaining()) {
      channel.write(frame);
    }
    return id;
  }

  /** Blocks for the guest's next reply. */
  public GuestReply receive() throws IOException, ProtocolException {
    return GuestReply.parse(reader.read());
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing is best effort: the VM is going away
    }
  }
}
