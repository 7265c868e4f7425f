package io.gossipnet.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An ordered list of {@link Topic}s: the body of topic requests and responses over gossip, and of
 * message-of-interest announcements.
 *
 * <p>Wire format: uvarint count (at most 32), then for each topic uvarint key length (1 to 64),
 * the key, uvarint data length (at most 6 MiB) and the data. {@link #decode(byte[])} checks every
 * length against the bytes remaining before it allocates.
 */
public final class Topics {
  /** The largest number of topics in one message. */
  public static final int MAX_TOPICS = 32;
  /** The longest key, in bytes. */
  public static final int MAX_KEY_LENGTH = 64;
  /** The largest value, in bytes. */
  public static final int MAX_DATA_LENGTH = Tags.MAX_MESSAGE_LENGTH;
  /** The key of the nonce topic that {@link UnicastPeer#request} adds. */
  public static final String NONCE_KEY = "nonce";
  /** The key of the request-hash topic that responses carry. */
  public static final String REQUEST_HASH_KEY = "RequestHash";
  /** The key of an error description in a response. */
  public static final String ERROR_KEY = "Error";

  private static final Topics EMPTY = new Topics(List.of());

  private final List<Topic> topics;

  private Topics(List<Topic> topics) {
    this.topics = topics;
  }

  /** No topics. */
  public static Topics empty() {
    return EMPTY;
  }

  /**
   * These topics, in order.
   *
   * @throws IllegalArgumentException if there are more than {@value #MAX_TOPICS}
   */
  public static Topics of(Topic... topics) {
    return of(Arrays.asList(topics));
  }

  /**
   * These topics, in order.
   *
   * @throws IllegalArgumentException if there are more than {@value #MAX_TOPICS}
   */
  public static Topics of(List<Topic> topics) {
    if (topics.size() > MAX_TOPICS) {
      throw new IllegalArgumentException("at most " + MAX_TOPICS + " topics, got " + topics.size());
    }
    return new Topics(List.copyOf(topics));
  }

  /** These topics followed by one more. */
  public Topics with(Topic topic) {
    List<Topic> all = new ArrayList<>(topics.size() + 1);
    all.addAll(topics);
    all.add(topic);
    return of(all);
  }

  /** The topics, in order. */
  public List<Topic> list() {
    return topics;
  }

  /** The value of the first topic with this key. */
  public Optional<byte[]> get(String key) {
    for (Topic t : topics) {
      if (t.key().equals(key)) {
        return Optional.of(t.data());
      }
    }
    return Optional.empty();
  }

  /** The value of the first topic with this key as UTF-8 text. */
  public Optional<String> getString(String key) {
    return get(key).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /** The wire encoding. */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    writeUvarint(out, topics.size());
    for (Topic t : topics) {
      byte[] key = t.key().getBytes(StandardCharsets.UTF_8);
      writeUvarint(out, key.length);
      out.writeBytes(key);
      writeUvarint(out, t.data().length);
      out.writeBytes(t.data());
    }
    return out.toByteArray();
  }

  /**
   * Decodes the wire encoding.
   *
   * @throws MalformedTopicsException if the input is truncated, has trailing bytes or breaks a
   *     limit
   */
  public static Topics decode(byte[] in) {
    Reader r = new Reader(in);
    long count = r.uvarint();
    // Lengths are unsigned 64-bit: one of 2^63 or more reads as a negative long.
    if (Long.compareUnsigned(count, MAX_TOPICS) > 0) {
      throw new MalformedTopicsException(
          "too many topics: " + Long.toUnsignedString(count) + " > " + MAX_TOPICS);
    }
    List<Topic> out = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      long keyLen = r.uvarint();
      if (keyLen < 1 || keyLen > MAX_KEY_LENGTH) {
        throw new MalformedTopicsException(
            "topic key length " + Long.toUnsignedString(keyLen) + " not in 1.." + MAX_KEY_LENGTH);
      }
      String key = new String(r.bytes((int) keyLen), StandardCharsets.UTF_8);
      // Invalid UTF-8 becomes U+FFFD (3 bytes each): the key may no longer fit a Topic.
      if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_LENGTH) {
        throw new MalformedTopicsException(
            "topic key of " + keyLen + " bytes is not valid UTF-8 and too long once decoded");
      }
      long dataLen = r.uvarint();
      if (Long.compareUnsigned(dataLen, MAX_DATA_LENGTH) > 0) {
        throw new MalformedTopicsException(
            "topic data length " + Long.toUnsignedString(dataLen) + " > " + MAX_DATA_LENGTH);
      }
      out.add(new Topic(key, r.bytes((int) dataLen)));
    }
    if (r.pos != in.length) {
      throw new MalformedTopicsException((in.length - r.pos) + " trailing bytes after topics");
    }
    return new Topics(List.copyOf(out));
  }

  /**
   * The request key of an encoded topic list: the first 8 bytes of its SHA-512/256 digest, read
   * little-endian (the seed's {@code hashTopics}).
   */
  public static long hash(byte[] encoded) {
    byte[] d = sha512_256(encoded);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (d[i] & 0xff);
    }
    return v;
  }

  static byte[] sha512_256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-512/256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512/256 missing from the JDK", e);
    }
  }

  /** Appends an unsigned LEB128 varint. */
  public static void writeUvarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** An unsigned LEB128 varint as bytes. */
  public static byte[] uvarint(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(10);
    writeUvarint(out, v);
    return out.toByteArray();
  }

  /**
   * Reads a whole byte array as one unsigned varint.
   *
   * @throws MalformedTopicsException if it is not exactly one varint
   */
  public static long readUvarint(byte[] in) {
    Reader r = new Reader(in);
    long v = r.uvarint();
    if (r.pos != in.length) {
      throw new MalformedTopicsException("trailing bytes after varint");
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Topics other) || other.topics.size() != topics.size()) {
      return false;
    }
    for (int i = 0; i < topics.size(); i++) {
      Topic a = topics.get(i);
      Topic b = other.topics.get(i);
      if (!a.key().equals(b.key()) || !Arrays.equals(a.data(), b.data())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (Topic t : topics) {
      h = 31 * h + t.key().hashCode();
      h = 31 * h + Arrays.hashCode(t.data());
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Topics[");
    for (Topic t : topics) {
      sb.append(t.key()).append('=').append(t.data().length).append("B ");
    }
    return sb.append(']').toString();
  }

  /** Thrown when topics cannot be decoded. */
  public static final class MalformedTopicsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedTopicsException(String message) {
      super(message);
    }
  }

  private static final class Reader {
    private final byte[] in;
    private int pos;

    Reader(byte[] in) {
      this.in = in;
    }

    long uvarint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= in.length) {
          throw new MalformedTopicsException("truncated varint");
        }
        int b = in[pos++] & 0xff;
        if (shift == 63 && b > 1) {
          throw new MalformedTopicsException("varint overflows 64 bits");
        }
        v |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new MalformedTopicsException("varint overflows 64 bits");
    }

    byte[] bytes(int n) {
      if (n > in.length - pos) {
        throw new MalformedTopicsException("truncated: need " + n + " bytes, have " + (in.length - pos));
      }
      byte[] b = Arrays.copyOfRange(in, pos, pos + n);
      pos += n;
      return b;
    }
  }
}
