package io.gossipnet.core.filter;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded set of recently seen {@link Digest}s (the seed's {@code messageFilter}).
 *
 * <p>The digests live in a ring of buckets, each a hash set of at most {@code bucketSize} entries.
 * New digests go into the current top bucket. When the top bucket is full the top moves to the
 * previous index in the ring and that bucket is recreated empty, which forgets the oldest bucket's
 * digests. A digest found in an older bucket by {@link #checkAndInsert} is promoted into the top
 * bucket, so a digest that keeps being seen is never forgotten.
 *
 * <p>The filter therefore remembers at least {@code (buckets - 1) × bucketSize} and at most {@code
 * buckets × bucketSize} of the most recent digests. Every method is thread-safe; one lock guards
 * the whole filter, as the seed's mutex does.
 */
public final class MessageFilter {
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<Digest>[] buckets;
  private final int bucketSize;
  private int top;
  /** Set by the first insertion; until then {@link #contains} is false for every digest. */
  private volatile boolean everInserted;

  /**
   * Creates an empty filter.
   *
   * @param buckets the number of buckets in the ring, at least 1
   * @param bucketSize the number of digests after which a bucket is full, at least 1
   * @throws IllegalArgumentException if either is less than 1
   */
  @SuppressWarnings("unchecked")
  public MessageFilter(int buckets, int bucketSize) {
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
    }
    if (bucketSize < 1) {
      throw new IllegalArgumentException("bucketSize must be >= 1, got " + bucketSize);
    }
    this.buckets = (Set<Digest>[]) new Set<?>[buckets];
    this.bucketSize = bucketSize;
    this.top = 0;
    this.buckets[0] = newBucket();
  }

  /**
   * Checks whether the digest is present and records it. If it was in an older bucket it is moved
   * into the top bucket.
   *
   * @return true if the digest was already present (a duplicate)
   */
  public boolean checkAndInsert(Digest d) {
    Objects.requireNonNull(d, "digest");
    lock.lock();
    try {
      int idx = find(d);
      if (idx < 0) {
        buckets[top].add(d);
        everInserted = true;
      } else if (idx != top) {
        buckets[idx].remove(d);
        buckets[top].add(d);
      }
      rotateIfFull();
      return idx >= 0;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the digest is present. Does not record or promote it. */
  public boolean contains(Digest d) {
    Objects.requireNonNull(d, "digest");
    lock.lock();
    try {
      return find(d) >= 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether any digest was ever recorded. False means {@link #contains} is false for every digest,
   * without taking the lock, so a caller can skip computing a digest nobody could match.
   */
  public boolean everInserted() {
    return everInserted;
  }

  /** Records the digest, promoting it to the top bucket if it was already present. */
  public void insert(Digest d) {
    checkAndInsert(d);
  }

  /** The number of buckets in the ring. */
  public int buckets() {
    return buckets.length;
  }

  /** The number of digests after which a bucket is full. */
  public int bucketSize() {
    return bucketSize;
  }

  /** The number of digests currently remembered. */
  public int size() {
    lock.lock();
    try {
      int n = 0;
      for (Set<Digest> b : buckets) {
        if (b != null) {
          n += b.size();
        }
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** Searches from the top bucket; a digest is in at most one bucket. Caller holds the lock. */
  private int find(Digest d) {
    int n = buckets.length;
    for (int i = 0; i < n; i++) {
      int idx = (top + i) % n;
      Set<Digest> b = buckets[idx];
      if (b != null && b.contains(d)) {
        return idx;
      }
    }
    return -1;
  }

  private void rotateIfFull() {
    if (buckets[top].size() >= bucketSize) {
      top = (top + buckets.length - 1) % buckets.length;
      buckets[top] = newBucket();
    }
  }

  private Set<Digest> newBucket() {
    return HashSet.newHashSet(bucketSize);
  }
}
