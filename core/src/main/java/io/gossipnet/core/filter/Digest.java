package io.gossipnet.core.filter;

import io.gossipnet.core.Tag;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A 32-byte SHA-512/256 digest, the seed's {@code crypto.Digest}: an immutable value held as four
 * longs, so that {@link #equals} and {@link #hashCode} are cheap enough for hash-set lookups on
 * every message.
 *
 * <p>{@link #of(Tag, byte[])} is {@code crypto.Hash(tag ‖ data)}: the digest that {@code MS}
 * messages carry and that each peer's outgoing filter is keyed on. {@link #salted(byte[], Tag,
 * byte[])} prefixes a secret nonce, for the incoming filter. Both feed the pieces to the hash one
 * after another, without building a concatenated array, and reuse one {@link MessageDigest} per
 * thread.
 */
public final class Digest {
  /** The length of a digest in bytes. */
  public static final int LENGTH = 32;

  private static final String ALGORITHM = "SHA-512/256";
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);

  private final long l0;
  private final long l1;
  private final long l2;
  private final long l3;

  private Digest(long l0, long l1, long l2, long l3) {
    this.l0 = l0;
    this.l1 = l1;
    this.l2 = l2;
    this.l3 = l3;
  }

  /**
   * The digest held in these 32 bytes (for example the payload of an {@code MS} message).
   *
   * @throws IllegalArgumentException if the array is not exactly {@value #LENGTH} bytes long
   */
  public static Digest fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "a digest is " + LENGTH + " bytes, got " + bytes.length);
    }
    return fromBytes(bytes, 0);
  }

  /**
   * The digest held in the 32 bytes of {@code bytes} starting at {@code offset}.
   *
   * @throws IndexOutOfBoundsException if fewer than {@value #LENGTH} bytes follow the offset
   */
  public static Digest fromBytes(byte[] bytes, int offset) {
    Objects.checkFromIndexSize(offset, LENGTH, bytes.length);
    return new Digest(
        (long) LONGS.get(bytes, offset),
        (long) LONGS.get(bytes, offset + 8),
        (long) LONGS.get(bytes, offset + 16),
        (long) LONGS.get(bytes, offset + 24));
  }

  /**
   * SHA-512/256 over the two tag bytes followed by {@code data}: the seed's {@code
   * crypto.Hash(tag ‖ data)}, used by {@code MS} messages and the outgoing filter.
   */
  public static Digest of(Tag tag, byte[] data) {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(data, "data");
    Hasher h = HASHER.get();
    MessageDigest md = h.md;
    md.update(tag.firstByte());
    md.update(tag.secondByte());
    md.update(data);
    return h.finish();
  }

  /**
   * The same digest as {@link #of} for a frame that already holds the two tag bytes followed by
   * the payload.
   */
  public static Digest ofFrame(byte[] frame) {
    Objects.requireNonNull(frame, "frame");
    if (frame.length < 2) {
      throw new IllegalArgumentException("a frame has at least its 2 tag bytes, got " + frame.length);
    }
    Hasher h = HASHER.get();
    h.md.update(frame);
    return h.finish();
  }

  /**
   * SHA-512/256 over {@code nonce}, the two tag bytes and {@code data}, in that order: the key of
   * the incoming duplicate filter. A secret random nonce keeps peers from crafting collisions.
   */
  public static Digest salted(byte[] nonce, Tag tag, byte[] data) {
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(data, "data");
    Hasher h = HASHER.get();
    MessageDigest md = h.md;
    md.update(nonce);
    md.update(tag.firstByte());
    md.update(tag.secondByte());
    md.update(data);
    return h.finish();
  }

  /** The 32 bytes of this digest, in a new array. */
  public byte[] toBytes() {
    byte[] out = new byte[LENGTH];
    LONGS.set(out, 0, l0);
    LONGS.set(out, 8, l1);
    LONGS.set(out, 16, l2);
    LONGS.set(out, 24, l3);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && d.l0 == l0 && d.l1 == l1 && d.l2 == l2 && d.l3 == l3;
  }

  @Override
  public int hashCode() {
    // The bytes are uniformly distributed hash output; the first eight are enough.
    return Long.hashCode(l0);
  }

  /** The 64 lower-case hex digits. */
  @Override
  public String toString() {
    return HexFormat.of().formatHex(toBytes());
  }

  /** A per-thread SHA-512/256 instance and output buffer. */
  private static final class Hasher {
    final MessageDigest md;
    final byte[] out = new byte[LENGTH];

    Hasher() {
      try {
        md = MessageDigest.getInstance(ALGORITHM);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(ALGORITHM + " missing from the JDK", e);
      }
    }

    Digest finish() {
      try {
        md.digest(out, 0, LENGTH); // also resets md
      } catch (DigestException e) {
        md.reset();
        throw new IllegalStateException(e);
      }
      return fromBytes(out, 0);
    }
  }
}
