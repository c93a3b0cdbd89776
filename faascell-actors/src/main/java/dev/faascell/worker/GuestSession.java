package dev.faascell.worker;

import dev.faascell.guest.protocol.AgentConnection;
import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.guest.protocol.ProtocolException;
import dev.faascell.model.HostUsage;
import dev.faascell.perf.ProcessSampler;
import dev.faascell.vmm.VmInstance;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The Worker's port to its guest agent: it owns the channel (framed by {@link AgentConnection}), the
 * request ids and the thread that reads the guest's replies, so the Worker never touches the wire.
 *
 * <p>One request is outstanding at a time (the guest protocol is strictly request/reply). A reply is
 * matched to that request by its id; a reply to anything else is a protocol violation. Writes run on
 * the I/O executor, so an actor's thread never blocks on the socket; replies and failures reach the
 * {@link Listener} from the reader or writer thread, which is why a Worker's listener only sends
 * messages. After {@link #close()} the listener hears nothing more.
 *
 * <p>Each exchange is timed on those same threads, right around the write and the read, so the round
 * trip it reports is the guest's, not the actors'. With host measurement on, the VMM process's counters
 * are read there too, just outside that window: what the VM used in between is the invocation's, and
 * reading {@code /proc} never falls on an actor's thread.
 */
final class GuestSession implements AutoCloseable {
  /** Where the session reports what it heard; called from the session's threads. */
  interface Listener {
    void heard(Heard what);
  }

  /** What the session hears: a reply to the request outstanding, or the channel lost. */
  sealed interface Heard {}

  /**
   * One request and its reply.
   *
   * @param sentAt    the session's clock just before the request was written
   * @param repliedAt the session's clock just after the reply was read
   * @param usage     what the VMM process used in between, for a RUN with host measurement on
   *                  ({@link HostUsage#NONE} otherwise)
   */
  record Exchange(HostRequest request, GuestReply reply, long sentAt, long repliedAt, HostUsage usage)
      implements Heard {}

  /** The channel is unusable: closed, failed, or the guest broke the protocol. */
  record Lost(String reason, boolean protocolViolation) implements Heard {}

  private record Outstanding(int id, HostRequest request, HostUsage usageBefore, long sentAt) {}

  private final VmInstance vm;
  private final AgentConnection connection;
  private final Executor io;
  private final boolean measureHost;
  private final LongSupplier clock;
  private final Listener listener;
  private final Object wire = new Object();
  private Outstanding outstanding;   // guarded by wire
  private volatile HostUsage lastUsageBefore = HostUsage.NONE;
  private volatile boolean closed;

  private GuestSession(VmInstance vm, AgentConnection connection, Executor io, boolean measureHost,
                       LongSupplier clock, Listener listener) {
    this.vm = vm;
    this.connection = connection;
    this.io = io;
    this.measureHost = measureHost;
    this.clock = clock;
    this.listener = listener;
  }

  /**
   * Connects to the VM's agent channel, retrying while the VMM has not opened it, and starts reading.
   * Blocks: call it on the I/O executor.
   */
  static GuestSession open(VmInstance vm, Duration timeout, int maxGuestFrameBytes, Executor io, boolean measureHost,
                           LongSupplier clock, Listener listener) throws IOException {
    AgentConnection connection = AgentConnection.connect(vm.channelSocket(), timeout, vm::isAlive, maxGuestFrameBytes);
    GuestSession session = new GuestSession(vm, connection, io, measureHost, clock, listener);
    Thread reader = new Thread(session::read, "faascell-channel-" + vm.id());
    reader.setDaemon(true);
    reader.start();
    return session;
  }

  /** Sends {@code request} on the I/O executor; its reply, or the channel's failure, reaches the listener. */
  void request(HostRequest request) {
    io.execute(() -> {
      try {
        // held while writing, so the reader cannot match a reply before the request is on record
        synchronized (wire) {
          if (outstanding != null) {
            int waiting = outstanding.id();
            report(() -> listener.heard(new Lost("a second request while request " + waiting + " is outstanding",
                false)));
            return;
          }
          HostUsage before = sampleFor(request);
          lastUsageBefore = before;
          long sentAt = clock.getAsLong();
          outstanding = new Outstanding(connection.send(request), request, before, sentAt);
        }
      } catch (IOException e) {
        report(() -> listener.heard(new Lost("cannot write to the guest: " + e.getMessage(), false)));
      }
    });
  }

  private void read() {
    try {
      while (!closed) {
        GuestReply reply = connection.receive();
        long repliedAt = clock.getAsLong();
        Outstanding answered;
        synchronized (wire) {
          answered = outstanding;
          outstanding = null;
        }
        if (answered == null || answered.id() != reply.requestId()) {
          throw new ProtocolException("reply to request " + reply.requestId() + " while "
              + (answered == null ? "nothing was asked" : "waiting for " + answered.id()));
        }
        HostUsage usage = ProcessSampler.delta(answered.usageBefore(), sampleFor(answered.request()));
        report(() -> listener.heard(new Exchange(answered.request(), reply, answered.sentAt(), repliedAt, usage)));
      }
    } catch (ProtocolException e) {
      report(() -> listener.heard(new Lost("protocol violation: " + e.getMessage(), true)));
    } catch (EOFException e) {
      report(() -> listener.heard(new Lost("the guest closed its channel", false)));
    } catch (IOException e) {
      report(() -> listener.heard(new Lost("channel error: " + e.getMessage(), false)));
    }
  }

  private HostUsage sampleFor(HostRequest request) {
    return measureHost && request instanceof HostRequest.Run ? ProcessSampler.sample(vm) : HostUsage.NONE;
  }

  /**
   * What the VMM process used since the last RUN was written (for an invocation that ends without a
   * reply: timed out, or its VM died). Reads {@code /proc}: call it on the I/O executor.
   */
  HostUsage usageSinceLastRun() {
    return measureHost ? ProcessSampler.delta(lastUsageBefore, ProcessSampler.sample(vm)) : HostUsage.NONE;
  }

  private void report(Runnable event) {
    if (!closed) {
      event.run();
    }
  }

  /** A reply's message type as the protocol names it, for error messages. */
  static String kind(GuestReply reply) {
    return reply.getClass().getSimpleName().toUpperCase(Locale.ROOT);
  }

  /** Closes the channel from any thread; unblocks the reader. */
  @Override
  public void close() {
    closed = true;
    connection.close();
  }
}
