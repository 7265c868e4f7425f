package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PublicKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Computes a message's ID from its wire fields. IDs are local except in IHAVE, IWANT and
 * IDONTWANT, so nodes of one network should agree on the function to make gossip effective.
 */
@FunctionalInterface
public interface MessageIdFunction {
  /**
   * The js-libp2p / go-libp2p default for signed messages: the author's protobuf public key
   * followed by the 8-byte seqno (what js computes; for Ed25519 authors it is 44 bytes).
   */
  MessageIdFunction FROM_SEQNO = (from, key, seqno, data) -> {
    byte[] author = key;
    if (author == null && from != null) {
      try {
        author = PeerId.fromBytes(from).publicKey().map(PublicKey::toProtobuf).orElse(from);
      } catch (IllegalArgumentException e) {
        author = from;
      }
    }
    byte[] a = author == null ? new byte[0] : author;
    byte[] s = seqno == null ? new byte[0] : seqno;
    byte[] id = new byte[a.length + s.length];
    System.arraycopy(a, 0, id, 0, a.length);
    System.arraycopy(s, 0, id, a.length, s.length);
    return id;
  };

  /** SHA-256 of the data: the js default under StrictNoSign. */
  MessageIdFunction SHA256_DATA = (from, key, seqno, data) -> {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data == null ? new byte[0] : data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  };

  /** BLAKE2b-256 of the data: go-algorand's transaction topic. */
  MessageIdFunction BLAKE2B_256_DATA = (from, key, seqno, data) -> {
    Blake2bDigest d = new Blake2bDigest(256);
    byte[] in = data == null ? new byte[0] : data;
    d.update(in, 0, in.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  };

  /** The ID of a message with these wire fields (any may be {@code null}). */
  byte[] messageId(byte[] from, byte[] key, byte[] seqno, byte[] data);
}
