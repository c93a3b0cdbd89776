package dev.faascell.guest.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads frames from a blocking channel. Everything from the guest is untrusted: the header is checked
 * before the body is allocated, and no body larger than {@code maxBodyBytes} is accepted.
 */
public final class FrameReader {
  private final ReadableByteChannel channel;
  private final int maxBodyBytes;
  private final boolean fromHost;
  private final ByteBuffer header = ByteBuffer.allocate(Frame.HEADER_BYTES);

  private FrameReader(ReadableByteChannel channel, int maxBodyBytes, boolean fromHost) {
    this.channel = channel;
    this.maxBodyBytes = maxBodyBytes;
    this.fromHost = fromHost;
  }

  /** The host's reader of what a guest sends. */
  public static FrameReader ofGuestFrames(ReadableByteChannel channel, int maxBodyBytes) {
    return new FrameReader(channel, maxBodyBytes, false);
  }

  /** A guest's reader of what the host sends (for guest doubles in tests). */
  public static FrameReader ofHostFrames(ReadableByteChannel channel, int maxBodyBytes) {
    return new FrameReader(channel, maxBodyBytes, true);
  }

  /** The next frame; EOFException when the other side closed. */
  public Frame read() throws IOException, ProtocolException {
    header.clear();
    fill(header);
    header.flip();
    return readBody(parseHeader(header, maxBodyBytes, fromHost));
  }

  /** What a valid header announces. */
  record Header(MessageType type, int requestId, int bodyLength) {}

  static Header parseHeader(ByteBuffer header, int maxBodyBytes, boolean fromHost) throws ProtocolException {
    int magic0 = header.get() & 0xff;
    int magic1 = header.get() & 0xff;
    if (magic0 != Frame.MAGIC_0 || magic1 != Frame.MAGIC_1) {
      throw new ProtocolException(String.format("bad magic 0x%02x%02x", magic0, magic1));
    }
    int version = header.get() & 0xff;
    if (version != Frame.VERSION) {
      throw new ProtocolException("unsupported protocol version " + version);
    }
    int code = header.get() & 0xff;
    MessageType type = MessageType.byCode(code);
    if (type == null || type.fromHost() != fromHost) {
      throw new ProtocolException(String.format("unexpected message type 0x%02x from the %s", code,
          fromHost ? "host" : "guest"));
    }
    int requestId = header.getInt();
    int length = header.getInt();
    if (length < 0 || length > maxBodyBytes) {
      throw new ProtocolException("frame body of " + Integer.toUnsignedString(length)
          + " bytes exceeds the limit of " + maxBodyBytes);
    }
    return new Header(type, requestId, length);
  }

  private Frame readBody(Header header) throws IOException, ProtocolException {
    ByteBuffer body = ByteBuffer.allocate(header.bodyLength());
    fill(body);
    body.flip();
    return new Frame(header.type(), header.requestId(), Frame.decodeFields(body));
  }

  private void fill(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new EOFException("the guest closed the channel");
      }
    }
  }
}
