package io.gossipnet.libp2p.internal.wire;

import io.gossipnet.libp2p.encoding.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A minimal protobuf writer for the few small libp2p messages (varint and length-delimited fields). */
public final class ProtoWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

  /** Writes a varint field. */
  public ProtoWriter varint(int field, long value) {
    Varint.write(out, ((long) field << 3));
    Varint.write(out, value);
    return this;
  }

  /** Writes a length-delimited bytes field. */
  public ProtoWriter bytes(int field, byte[] value) {
    Varint.write(out, ((long) field << 3) | 2);
    Varint.write(out, value.length);
    out.writeBytes(value);
    return this;
  }

  /** Writes a UTF-8 string field. */
  public ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** The encoded message. */
  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
