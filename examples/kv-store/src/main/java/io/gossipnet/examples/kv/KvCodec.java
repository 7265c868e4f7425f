package io.gossipnet.examples.kv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The wire format of a write on tag {@code KV}. All integers are big-endian:
 *
 * <pre>
 * size  field
 * 1     format, 1
 * 2     key length K, 1..256 (unsigned)
 * K     key, UTF-8 (well-formed, no control characters)
 * 8     timestamp, 0..2^62-1 (signed)
 * 1     node ID length N, 1..64 (unsigned)
 * N     node ID, printable ASCII
 * 4     value length V, 0..16384 (signed)
 * V     value
 * </pre>
 *
 * <p>Nothing may follow the value. At most {@link #MAX_ENCODED_BYTES} bytes in all.
 *
 * <p>{@link #decode} never throws and never allocates more than the message it was given: each
 * length is checked against its limit and against the bytes that remain before anything of that
 * length is allocated. A message that breaks any rule is {@link Decoded.Malformed}, and the handler
 * disconnects the peer that sent it.
 */
public final class KvCodec {
  /** The format byte of this version of the encoding. */
  public static final byte FORMAT = 1;

  /** The largest encoded write. */
  public static final int MAX_ENCODED_BYTES =
      1 + 2 + KvStore.MAX_KEY_BYTES + 8 + 1 + Version.MAX_NODE_ID_LENGTH + 4 + KvStore.MAX_VALUE_BYTES;

  private KvCodec() {}

  /** The outcome of {@link #decode}. */
  public sealed interface Decoded permits Decoded.Ok, Decoded.Malformed {
    /**
     * A well-formed write.
     *
     * @param write the write
     */
    record Ok(KvWrite write) implements Decoded {}

    /**
     * A message that is not a valid write.
     *
     * @param reason what is wrong with it, for the log
     */
    record Malformed(String reason) implements Decoded {}
  }

  /**
   * Encodes a write.
   *
   * @throws IllegalArgumentException if the key or value breaks the store's limits
   */
  public static byte[] encode(KvWrite write) {
    String problem = KvStore.keyProblem(write.key());
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (write.value().length > KvStore.MAX_VALUE_BYTES) {
      throw new IllegalArgumentException("the value is over " + KvStore.MAX_VALUE_BYTES + " bytes");
    }
    byte[] key = write.key().getBytes(StandardCharsets.UTF_8);
    byte[] node = write.version().nodeId().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(1 + 2 + key.length + 8 + 1 + node.length + 4 + write.value().length);
    out.put(FORMAT)
        .putShort((short) key.length).put(key)
        .putLong(write.version().timestamp())
        .put((byte) node.length).put(node)
        .putInt(write.value().length).put(write.value());
    return out.array();
  }

  /** Decodes a message; never throws. */
  public static Decoded decode(byte[] message) {
    if (message == null) {
      return new Decoded.Malformed("no message");
    }
    if (message.length > MAX_ENCODED_BYTES) {
      return new Decoded.Malformed("message of " + message.length + " bytes, over " + MAX_ENCODED_BYTES);
    }
    ByteBuffer in = ByteBuffer.wrap(message);
    if (in.remaining() < 1 + 2) {
      return new Decoded.Malformed("truncated header");
    }
    byte format = in.get();
    if (format != FORMAT) {
      return new Decoded.Malformed("unknown format " + (format & 0xff));
    }
    int keyLength = in.getShort() & 0xffff;
    if (keyLength == 0 || keyLength > KvStore.MAX_KEY_BYTES) {
      return new Decoded.Malformed("key length " + keyLength + " out of 1.." + KvStore.MAX_KEY_BYTES);
    }
    if (in.remaining() < keyLength + 8 + 1) {
      return new Decoded.Malformed("truncated key or timestamp");
    }
    String key;
    try {
      key = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(in.slice(in.position(), keyLength))
          .toString();
    } catch (CharacterCodingException e) {
      return new Decoded.Malformed("the key is not UTF-8");
    }
    in.position(in.position() + keyLength);
    String keyProblem = KvStore.keyProblem(key);
    if (keyProblem != null) {
      return new Decoded.Malformed(keyProblem);
    }
    long timestamp = in.getLong();
    if (timestamp < 0 || timestamp > Version.MAX_TIMESTAMP) {
      return new Decoded.Malformed("timestamp " + timestamp + " out of range");
    }
    int nodeLength = in.get() & 0xff;
    if (nodeLength == 0 || nodeLength > Version.MAX_NODE_ID_LENGTH) {
      return new Decoded.Malformed("node ID length " + nodeLength + " out of 1.." + Version.MAX_NODE_ID_LENGTH);
    }
    if (in.remaining() < nodeLength + 4) {
      return new Decoded.Malformed("truncated node ID or value length");
    }
    byte[] node = new byte[nodeLength];
    in.get(node);
    String nodeId = new String(node, StandardCharsets.ISO_8859_1);
    if (!Version.validNodeId(nodeId)) {
      return new Decoded.Malformed("the node ID is not printable ASCII");
    }
    int valueLength = in.getInt();
    if (valueLength < 0 || valueLength > KvStore.MAX_VALUE_BYTES) {
      return new Decoded.Malformed("value length " + valueLength + " out of 0.." + KvStore.MAX_VALUE_BYTES);
    }
    if (in.remaining() != valueLength) {
      return new Decoded.Malformed(in.remaining() < valueLength
          ? "truncated value: " + in.remaining() + " of " + valueLength + " bytes"
          : (in.remaining() - valueLength) + " bytes after the value");
    }
    byte[] value = new byte[valueLength];
    in.get(value);
    return new Decoded.Ok(new KvWrite(key, value, new Version(timestamp, nodeId)));
  }
}
