package io.gossipnet.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The blobs a node serves, in memory, by content key: the lowercase hex SHA-256 of the content
 * ({@link #keyOf}). A blob never changes under its key, which is why its responses may be cached
 * for a year.
 *
 * <p>The store holds at most {@link #capacityBytes()}: each blob costs its length plus {@link
 * #ENTRY_OVERHEAD} (the map entry and key), so many empty blobs cannot grow memory without bound
 * either. A {@link #put} that would go past it is refused ({@link PutResult#OVER_CAPACITY}; the
 * blob service answers 503 with {@code Retry-After}); nothing is evicted: the application frees
 * room with {@link #remove} or {@link #clear}.
 *
 * <p>Arrays are not copied, neither when stored nor when returned (a GET serves the stored array
 * as is): callers must not modify them. Thread-safe; reads take no lock.
 */
public final class BlobStore {
  /** Bytes counted for each blob on top of its content: the map entry and the 64-character key. */
  public static final int ENTRY_OVERHEAD = 160;

  /** Length of a key: 32 bytes of SHA-256 in hex. */
  public static final int KEY_LENGTH = 64;

  private static final HexFormat HEX = HexFormat.of();

  private final long capacityBytes;
  private final int maxBlobBytes;
  private final ConcurrentHashMap<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private volatile long usedBytes;
  private volatile String newestKey;

  /** The outcome of {@link #put}. */
  public enum PutResult {
    /** The blob was added. */
    STORED,
    /** A blob with this key was already there (the same content). */
    ALREADY_PRESENT,
    /** The store would go past its capacity; nothing was stored. */
    OVER_CAPACITY,
    /** The blob is larger than the largest blob; nothing was stored. */
    TOO_LARGE
  }

  /**
   * An empty store.
   *
   * @param capacityBytes the most bytes held (content plus {@link #ENTRY_OVERHEAD} per blob)
   * @param maxBlobBytes the largest blob
   * @throws IllegalArgumentException if either is negative
   */
  public BlobStore(long capacityBytes, int maxBlobBytes) {
    if (capacityBytes < 0 || maxBlobBytes < 0) {
      throw new IllegalArgumentException("capacityBytes and maxBlobBytes must not be negative: " + capacityBytes + ", " + maxBlobBytes);
    }
    this.capacityBytes = capacityBytes;
    this.maxBlobBytes = maxBlobBytes;
  }

  /** A store with the capacity and largest blob of {@code config}. */
  public static BlobStore of(HttpServicesConfig config) {
    return new BlobStore(config.blobMemoryCap(), config.maxBlobBytes());
  }

  /** The key of {@code content}: its SHA-256 in lowercase hex. */
  public static String keyOf(byte[] content) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * The key in its canonical form (lowercase), or null if {@code key} is not {@value #KEY_LENGTH}
   * hex digits.
   */
  public static String normalizeKey(String key) {
    if (key == null || key.length() != KEY_LENGTH) {
      return null;
    }
    for (int i = 0; i < KEY_LENGTH; i++) {
      if (Character.digit(key.charAt(i), 16) < 0) {
        return null;
      }
    }
    return key.toLowerCase(Locale.ROOT);
  }

  /**
   * Stores {@code content} under its key ({@link #keyOf}).
   *
   * @return what happened; the content is kept only for {@link PutResult#STORED}
   */
  public PutResult put(byte[] content) {
    return put(keyOf(content), content);
  }

  /** Stores content whose key the caller has already computed and checked. */
  PutResult put(String key, byte[] content) {
    if (content.length > maxBlobBytes) {
      return PutResult.TOO_LARGE;
    }
    long cost = cost(content);
    synchronized (lock) {
      if (blobs.containsKey(key)) {
        return PutResult.ALREADY_PRESENT;
      }
      if (usedBytes + cost > capacityBytes) {
        return PutResult.OVER_CAPACITY;
      }
      blobs.put(key, content);
      usedBytes += cost;
      newestKey = key;
    }
    return PutResult.STORED;
  }

  /** The blob stored under {@code key} (any case), if any. The array is shared: do not modify it. */
  public Optional<byte[]> get(String key) {
    String k = normalizeKey(key);
    return k == null ? Optional.empty() : Optional.ofNullable(blobs.get(k));
  }

  /** Whether a blob is stored under {@code key} (any case). */
  public boolean contains(String key) {
    return get(key).isPresent();
  }

  /** Removes the blob stored under {@code key} (any case); true if there was one. */
  public boolean remove(String key) {
    String k = normalizeKey(key);
    if (k == null) {
      return false;
    }
    synchronized (lock) {
      byte[] old = blobs.remove(k);
      if (old == null) {
        return false;
      }
      usedBytes -= cost(old);
      if (k.equals(newestKey)) {
        newestKey = null;
      }
      return true;
    }
  }

  /** Removes every blob. */
  public void clear() {
    synchronized (lock) {
      blobs.clear();
      usedBytes = 0;
      newestKey = null;
    }
  }

  /** The number of blobs stored. */
  public int count() {
    return blobs.size();
  }

  /** The bytes held: content plus {@link #ENTRY_OVERHEAD} per blob. */
  public long usedBytes() {
    return usedBytes;
  }

  /** The most bytes held. */
  public long capacityBytes() {
    return capacityBytes;
  }

  /** The largest blob. */
  public int maxBlobBytes() {
    return maxBlobBytes;
  }

  /** The key of the blob stored last, unless it was removed since (then empty until the next put). */
  public Optional<String> newestKey() {
    return Optional.ofNullable(newestKey);
  }

  private static long cost(byte[] content) {
    return (long) content.length + ENTRY_OVERHEAD;
  }
}
