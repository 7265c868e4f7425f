package io.gossipnet.examples.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * A last-writer-wins register map: each key holds one value and the {@link Version} of the write
 * that put it there.
 *
 * <p>{@link #put} is a local write: it takes a timestamp past every one this store has seen (so it
 * wins over everything already here) and this node's ID. {@link #merge} applies a write made
 * anywhere: the entry with the greater version wins, and for equal versions (two writers with one
 * ID) the greater value, compared byte by byte, so that every store picks the same entry. Merging
 * is therefore idempotent (a write merged twice changes nothing the second time) and commutative
 * (stores that merged the same writes in any order hold the same entries), which is what lets gossip
 * and anti-entropy deliver writes in any order, any number of times.
 *
 * <p>Limits: a key is 1 to {@link #MAX_KEY_BYTES} bytes of UTF-8 with no control characters, a
 * value at most {@link #MAX_VALUE_BYTES} bytes, and the store holds at most {@code maxKeys} keys: a
 * write of a new key beyond that is refused ({@link Outcome#FULL}, {@link StoreFullException}),
 * while existing keys can still be overwritten.
 *
 * <p>Thread-safe: writes are serialised; reads ({@link #get}, {@link #entriesAfter}) do not lock.
 * The store also keeps a {@link #digest()} of its entries, updated with each write, so two stores
 * can tell cheaply whether they hold the same entries.
 */
public final class KvStore {
  /** The longest key, in bytes of UTF-8. */
  public static final int MAX_KEY_BYTES = 256;

  /** The largest value, in bytes. */
  public static final int MAX_VALUE_BYTES = 16 * 1024;

  /** The default largest number of keys. */
  public static final int DEFAULT_MAX_KEYS = 100_000;

  /** What {@link #merge} did with a write. */
  public enum Outcome {
    /** The write won: the store changed. */
    APPLIED,
    /** The store already held this write or a newer one: nothing changed. */
    STALE,
    /** The write is of a new key and the store is full: refused. */
    FULL
  }

  /** A local write of a new key into a full store. */
  public static final class StoreFullException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public StoreFullException(String message) {
      super(message);
    }
  }

  /** One entry: a key, its value and the version of the write that set it. Immutable. */
  public static final class Entry {
    private final String key;
    private final byte[] value;
    private final Version version;
    private final long hash;

    private Entry(String key, byte[] value, Version version) {
      this.key = key;
      this.value = value;
      this.version = version;
      this.hash = entryHash(key, value, version);
    }

    /** The key. */
    public String key() {
      return key;
    }

    /** A copy of the value. */
    public byte[] value() {
      return value.clone();
    }

    /** The value's length in bytes. */
    public int valueLength() {
      return value.length;
    }

    /** The version of the write that set this value. */
    public Version version() {
      return version;
    }

    /** Whether this entry wins over one of the same key holding {@code otherValue} at {@code otherVersion}. */
    boolean winsOver(Version otherVersion, byte[] otherValue) {
      int c = version.compareTo(otherVersion);
      return c > 0 || c == 0 && Arrays.compareUnsigned(value, otherValue) > 0;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && e.key.equals(key) && e.version.equals(version) && Arrays.equals(e.value, value);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(hash);
    }

    @Override
    public String toString() {
      return "Entry[" + key + " = " + value.length + " bytes @ " + version + "]";
    }
  }

  private final String nodeId;
  private final int maxKeys;
  private final LongSupplier wallClock;
  private final ConcurrentSkipListMap<String, Entry> entries = new ConcurrentSkipListMap<>();
  // Guarded by this; volatile so that readers see them without the lock.
  private volatile long clock;
  private volatile long digest;
  private volatile int size;

  /**
   * A store writing as {@code nodeId}, holding at most {@code maxKeys} keys, on the system clock.
   *
   * @throws IllegalArgumentException if the node ID is not valid ({@link Version#validNodeId}) or
   *     {@code maxKeys} is not positive
   */
  public KvStore(String nodeId, int maxKeys) {
    this(nodeId, maxKeys, System::currentTimeMillis);
  }

  /**
   * A store on the given wall clock (milliseconds), for tests.
   *
   * @throws IllegalArgumentException as {@link #KvStore(String, int)}
   */
  public KvStore(String nodeId, int maxKeys, LongSupplier wallClock) {
    if (!Version.validNodeId(nodeId)) {
      throw new IllegalArgumentException("node ID must be 1 to " + Version.MAX_NODE_ID_LENGTH + " printable ASCII characters: '" + nodeId + "'");
    }
    if (maxKeys <= 0) {
      throw new IllegalArgumentException("maxKeys must be positive: " + maxKeys);
    }
    this.nodeId = nodeId;
    this.maxKeys = maxKeys;
    this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
  }

  /** The ID this store writes as. */
  public String nodeId() {
    return nodeId;
  }

  /** The largest number of keys. */
  public int maxKeys() {
    return maxKeys;
  }

  /**
   * What is wrong with {@code key} as a key, or null if nothing: it must be 1 to {@link
   * #MAX_KEY_BYTES} bytes of UTF-8, well-formed (no lone surrogate) and without control
   * characters.
   */
  public static String keyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return "the key is empty";
    }
    if (key.length() > MAX_KEY_BYTES) {
      return "the key is over " + MAX_KEY_BYTES + " bytes";
    }
    int bytes = 0;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isISOControl(c)) {
        return "the key has a control character";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
          return "the key is not well-formed UTF-16";
        }
        i++;
        bytes += 4;
      } else if (Character.isLowSurrogate(c)) {
        return "the key is not well-formed UTF-16";
      } else {
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
    }
    return bytes > MAX_KEY_BYTES ? "the key is over " + MAX_KEY_BYTES + " bytes" : null;
  }

  /**
   * Writes {@code value} at {@code key} as this node, with a version newer than every one this
   * store has seen.
   *
   * @return the write's version
   * @throws IllegalArgumentException if the key or value breaks the limits
   * @throws StoreFullException if the key is new and the store holds {@code maxKeys} keys
   */
  public synchronized Version put(String key, byte[] value) throws StoreFullException {
    checkWrite(key, value);
    if (!entries.containsKey(key) && size >= maxKeys) {
      throw new StoreFullException("the store is full: it holds " + size + " keys, the most it takes");
    }
    long ts = Math.max(clock + 1, Math.min(wallClock.getAsLong(), Version.MAX_TIMESTAMP));
    Version version = new Version(ts, nodeId);
    Outcome outcome = apply(new Entry(key, value.clone(), version));
    if (outcome != Outcome.APPLIED) {
      throw new IllegalStateException("a local write lost: " + outcome);
    }
    return version;
  }

  /**
   * Applies a write made by any node (one received by gossip, or from a peer's snapshot).
   *
   * @return what it did
   * @throws IllegalArgumentException if the key or value breaks the limits
   */
  public synchronized Outcome merge(String key, byte[] value, Version version) {
    checkWrite(key, value);
    Objects.requireNonNull(version, "version");
    return apply(new Entry(key, value.clone(), version));
  }

  private Outcome apply(Entry e) {
    Entry old = entries.get(e.key);
    if (e.version.timestamp() > clock) {
      clock = e.version.timestamp();
    }
    if (old == null) {
      if (size >= maxKeys) {
        return Outcome.FULL;
      }
      entries.put(e.key, e);
      size = size + 1;
      digest = digest ^ e.hash;
      return Outcome.APPLIED;
    }
    if (!e.winsOver(old.version, old.value)) {
      return Outcome.STALE;
    }
    entries.put(e.key, e);
    digest = digest ^ old.hash ^ e.hash;
    return Outcome.APPLIED;
  }

  private static void checkWrite(String key, byte[] value) {
    String problem = keyProblem(key);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    Objects.requireNonNull(value, "value");
    if (value.length > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException("the value is over " + MAX_VALUE_BYTES + " bytes");
    }
  }

  /** The entry at {@code key}, if any. */
  public Optional<Entry> get(String key) {
    return key == null ? Optional.empty() : Optional.ofNullable(entries.get(key));
  }

  /** The number of keys. */
  public int size() {
    return size;
  }

  /**
   * A digest of every entry (key, value and version): equal in two stores that hold the same
   * entries, and, but for a 64-bit collision, different otherwise. Kept up to date with each write.
   */
  public long digest() {
    return digest;
  }

  /** The highest timestamp this store has written or seen. */
  public long clock() {
    return clock;
  }

  /**
   * The entries whose keys sort after {@code after} ({@link String#compareTo}), in key order; every
   * entry if {@code after} is null. A live view: it reflects writes made while it is read.
   */
  public Iterable<Entry> entriesAfter(String after) {
    return after == null ? entries.values() : entries.tailMap(after, false).values();
  }

  /** 64 bits of SHA-256 over the entry, for the XOR digest. */
  private static long entryHash(String key, byte[] value, Version version) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] n = version.nodeId().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer head = ByteBuffer.allocate(4 + k.length + 8 + 4 + n.length + 4);
    head.putInt(k.length).put(k).putLong(version.timestamp()).putInt(n.length).put(n).putInt(value.length);
    sha.update(head.array());
    sha.update(value);
    return ByteBuffer.wrap(sha.digest()).getLong();
  }
}
