package dev.faascell.guest.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One protocol frame: a type, the host's request id, and a body of tagged fields. */
public record Frame(MessageType type, int requestId, List<Field> fields) {
  public static final int MAGIC_0 = 'F';
  public static final int MAGIC_1 = 'C';
  public static final int VERSION = 1;
  public static final int HEADER_BYTES = 12;
  static final int FIELD_HEADER_BYTES = 5;

  /** One tagged field; tags the receiver does not know are kept as raw codes and ignored. */
  public record Field(int tag, byte[] value) {
    public static Field of(FieldTag tag, byte[] value) {
      return new Field(tag.code(), value);
    }

    public static Field of(FieldTag tag, String value) {
      return of(tag, value.getBytes(StandardCharsets.UTF_8));
    }

    public static Field of(FieldTag tag, long value) {
      return of(tag, ByteBuffer.allocate(8).putLong(value).array());
    }
  }

  public Frame {
    fields = List.copyOf(fields);
  }

  public Optional<byte[]> bytes(FieldTag tag) {
    return fields.stream().filter(f -> f.tag() == tag.code()).map(Field::value).findFirst();
  }

  public Optional<String> string(FieldTag tag) {
    return bytes(tag).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /** A number field; a value that is not 8 bytes long is a protocol violation. */
  public Optional<Long> number(FieldTag tag) throws ProtocolException {
    Optional<byte[]> value = bytes(tag);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get().length != 8) {
      throw new ProtocolException(tag + " must be 8 bytes, got " + value.get().length);
    }
    return Optional.of(ByteBuffer.wrap(value.get()).getLong());
  }

  public int bodyLength() {
    int length = 0;
    for (Field field : fields) {
      length += FIELD_HEADER_BYTES + field.value().length;
    }
    return length;
  }

  /** The frame as bytes on the wire. */
  public ByteBuffer encode() {
    int body = bodyLength();
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + body);
    out.put((byte) MAGIC_0).put((byte) MAGIC_1).put((byte) VERSION).put((byte) type.code())
        .putInt(requestId).putInt(body);
    for (Field field : fields) {
      out.put((byte) field.tag()).putInt(field.value().length).put(field.value());
    }
    return out.flip();
  }

  /** Parses the fields of a body whose header was already checked. */
  static List<Field> decodeFields(ByteBuffer body) throws ProtocolException {
    List<Field> fields = new ArrayList<>();
    while (body.hasRemaining()) {
      if (body.remaining() < FIELD_HEADER_BYTES) {
        throw new ProtocolException("truncated field header");
      }
      int tag = body.get() & 0xff;
      int length = body.getInt();
      if (length < 0 || length > body.remaining()) {
        throw new ProtocolException("field " + tag + " claims " + Integer.toUnsignedString(length)
            + " bytes, " + body.remaining() + " left in the frame");
      }
      byte[] value = new byte[length];
      body.get(value);
      fields.add(new Field(tag, value));
    }
    return fields;
  }
}
