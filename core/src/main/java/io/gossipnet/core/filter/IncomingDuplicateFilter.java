package io.gossipnet.core.filter;

import io.gossipnet.core.Tag;
import java.security.SecureRandom;

/**
 * The network-wide filter that drops repeats of received messages whose tag is {@linkplain
 * Tag#dedupSafe() dedup-safe} ({@code AV} and {@code TX} in the seed table).
 *
 * <p>Messages are keyed by SHA-512/256 over a random 16-byte nonce, the tag and the payload
 * ({@link Digest#salted}); the nonce is drawn once per filter and never leaves the node, so peers
 * cannot craft colliding messages. The default size is the seed's: 5 buckets of 512 digests.
 * Thread-safe.
 */
public final class IncomingDuplicateFilter {
  /** The length of the secret nonce in bytes. */
  public static final int NONCE_LENGTH = 16;
  /** The seed's number of buckets. */
  public static final int DEFAULT_BUCKETS = 5;
  /** The seed's bucket size. */
  public static final int DEFAULT_BUCKET_SIZE = 512;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] nonce;
  private final MessageFilter filter;

  /** A filter of the default size (5 × 512) with a fresh random nonce. */
  public IncomingDuplicateFilter() {
    this(DEFAULT_BUCKETS, DEFAULT_BUCKET_SIZE);
  }

  /**
   * A filter of this size with a fresh random nonce.
   *
   * @throws IllegalArgumentException if either argument is less than 1
   */
  public IncomingDuplicateFilter(int buckets, int bucketSize) {
    this(buckets, bucketSize, randomNonce());
  }

  /** A filter with a given nonce, for tests. */
  IncomingDuplicateFilter(int buckets, int bucketSize, byte[] nonce) {
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("nonce must be " + NONCE_LENGTH + " bytes");
    }
    this.filter = new MessageFilter(buckets, bucketSize);
    this.nonce = nonce.clone();
  }

  /**
   * Records a received message and tells whether it was seen recently. A message whose tag is not
   * dedup-safe is never recorded and never reported as a duplicate.
   *
   * @param tag the message's tag
   * @param data the message's payload (after decompression)
   * @return true if the tag is dedup-safe and the same tag and payload were seen recently
   */
  public boolean isDuplicate(Tag tag, byte[] data) {
    if (!tag.dedupSafe()) {
      return false;
    }
    return filter.checkAndInsert(Digest.salted(nonce, tag, data));
  }

  private static byte[] randomNonce() {
    byte[] n = new byte[NONCE_LENGTH];
    RANDOM.nextBytes(n);
    return n;
  }
}
