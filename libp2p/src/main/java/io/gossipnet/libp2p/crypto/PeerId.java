package io.gossipnet.libp2p.crypto;

import io.gossipnet.libp2p.encoding.Base58;
import io.gossipnet.libp2p.encoding.Multibase;
import io.gossipnet.libp2p.encoding.Varint;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A libp2p peer ID: the multihash of the protobuf public key, identity-hashed when the encoding is
 * at most 42 bytes (Ed25519) and SHA-256 otherwise. Text forms: base58btc ({@code 12D3KooW...}) and
 * CIDv1 with the libp2p-key codec (base32 {@code bafzaa...} or base36 {@code k51...}).
 */
public final class PeerId implements Comparable<PeerId> {
  private static final int IDENTITY = 0x00;
  private static final int SHA256 = 0x12;
  private static final int LIBP2P_KEY_CODEC = 0x72;
  /** Largest multihash accepted as a peer ID. */
  public static final int MAX_BYTES = 128;

  private final byte[] bytes;

  private PeerId(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The peer ID of a public key. */
  public static PeerId fromPublicKey(PublicKey key) {
    byte[] pb = key.toProtobuf();
    if (pb.length <= 42) {
      byte[] mh = new byte[2 + pb.length];
      mh[0] = IDENTITY;
      mh[1] = (byte) pb.length;
      System.arraycopy(pb, 0, mh, 2, pb.length);
      return new PeerId(mh);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(pb);
      byte[] mh = new byte[34];
      mh[0] = SHA256;
      mh[1] = 32;
      System.arraycopy(digest, 0, mh, 2, 32);
      return new PeerId(mh);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A peer ID from its multihash bytes, checked to be an identity or SHA-256 multihash. */
  public static PeerId fromBytes(byte[] multihash) {
    if (multihash.length < 2 || multihash.length > MAX_BYTES) {
      throw new IllegalArgumentException("peer ID multihash of " + multihash.length + " bytes");
    }
    int code = multihash[0] & 0xFF;
    int len = multihash[1] & 0xFF;
    if ((code != IDENTITY && code != SHA256) || len != multihash.length - 2 || (code == SHA256 && len != 32)) {
      throw new IllegalArgumentException("peer ID is not an identity or sha2-256 multihash");
    }
    return new PeerId(multihash.clone());
  }

  /** Parses base58btc ({@code 12D3...}, {@code Qm...}) or a CIDv1 libp2p-key in multibase. */
  public static PeerId fromString(String text) {
    if (text.startsWith("1") || text.startsWith("Qm")) {
      return fromBytes(Base58.decode(text));
    }
    byte[] cid = Multibase.decode(text);
    ByteBuffer b = ByteBuffer.wrap(cid);
    long version = Varint.read(b);
    long codec = Varint.read(b);
    if (version != 1 || codec != LIBP2P_KEY_CODEC) {
      throw new IllegalArgumentException("not a CIDv1 libp2p-key: " + text);
    }
    return fromBytes(Arrays.copyOfRange(cid, b.position(), cid.length));
  }

  /** The multihash bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The base58btc text form. */
  public String toBase58() {
    return Base58.encode(bytes);
  }

  /** CIDv1 (libp2p-key) bytes. */
  public byte[] toCidBytes() {
    byte[] cid = new byte[2 + bytes.length];
    cid[0] = 1;
    cid[1] = LIBP2P_KEY_CODEC;
    System.arraycopy(bytes, 0, cid, 2, bytes.length);
    return cid;
  }

  /** CIDv1 in base32 multibase ({@code b...}). */
  public String toCidBase32() {
    return Multibase.encodeBase32(toCidBytes());
  }

  /** CIDv1 in base36 multibase ({@code k...}), the form js-libp2p uses in HTTP Host headers. */
  public String toCidBase36() {
    return Multibase.encodeBase36(toCidBytes());
  }

  /**
   * The public key inlined in an identity multihash, if any.
   *
   * @throws IllegalArgumentException if the inlined bytes are not a public key {@link
   *     PublicKey#fromProtobuf} accepts
   */
  public Optional<PublicKey> publicKey() {
    if ((bytes[0] & 0xFF) != IDENTITY) {
      return Optional.empty();
    }
    return Optional.of(PublicKey.fromProtobuf(Arrays.copyOfRange(bytes, 2, bytes.length)));
  }

  /** True when {@code key} hashes to this peer ID. */
  public boolean matches(PublicKey key) {
    return equals(fromPublicKey(key));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId p && Arrays.equals(p.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(PeerId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return toBase58();
  }
}
