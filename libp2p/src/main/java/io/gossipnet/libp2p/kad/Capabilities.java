package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.crypto.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Capability discovery on the DHT, as go-algorand does it: a node that has a capability (e.g.
 * {@code archival}, {@code gossip}) provides the content key of the capability's name, and others
 * find providers of that key. Advertising runs at once, then again every
 * {@code readvertiseInterval}; a failed round (no peers yet) is retried with exponential jittered
 * backoff from {@code retryMin} to {@code retryMax}. Each round runs on its own virtual thread, so
 * a slow round of one capability does not delay the others.
 */
public final class Capabilities implements AutoCloseable {
  /** go-algorand: re-advertise after at most 22 h. */
  public static final Duration DEFAULT_READVERTISE_INTERVAL = Duration.ofHours(22);
  /** go-algorand: retry from 1 s. */
  public static final Duration DEFAULT_RETRY_MIN = Duration.ofSeconds(1);
  /** go-algorand: retry up to 100 s. */
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(100);
  /** go-algorand: {@code PeersForCapability} gives up after 5 s. */
  public static final Duration DEFAULT_FIND_TIMEOUT = Duration.ofSeconds(5);
  private static final double RETRY_BASE = 3;

  private final KadDht dht;
  private final PeerId self;
  private final Duration readvertise;
  private final Duration retryMin;
  private final Duration retryMax;
  private final Duration findTimeout;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("kad-capabilities").daemon().factory());
  private final Map<String, Integer> advertised = new ConcurrentHashMap<>();
  private final ExecutorService rounds = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean closed;

  /** Capabilities over {@code dht} with go-algorand's timing. */
  public Capabilities(KadDht dht, PeerId self) {
    this(dht, self, DEFAULT_READVERTISE_INTERVAL, DEFAULT_RETRY_MIN, DEFAULT_RETRY_MAX, DEFAULT_FIND_TIMEOUT);
  }

  /** Capabilities with explicit timing. */
  public Capabilities(KadDht dht, PeerId self, Duration readvertise, Duration retryMin, Duration retryMax,
      Duration findTimeout) {
    this.dht = dht;
    this.self = self;
    this.readvertise = readvertise;
    this.retryMin = retryMin;
    this.retryMax = retryMax;
    this.findTimeout = findTimeout;
  }

  /** The DHT key of a capability: the SHA-256 multihash of its name (the CIDv1 raw of the name). */
  public static byte[] capabilityKey(String capability) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(capability.getBytes(StandardCharsets.UTF_8));
      byte[] mh = new byte[34];
      mh[0] = 0x12;
      mh[1] = 0x20;
      System.arraycopy(d, 0, mh, 2, 32);
      return mh;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts advertising each capability (now, then periodically; failures retried). */
  public void advertise(String... capabilities) {
    for (String c : capabilities) {
      later(c, 0, 0);
    }
  }

  /** Successful advertisement rounds per capability (peers the record was sent to in the last round). */
  public Map<String, Integer> advertised() {
    return Map.copyOf(advertised);
  }

  /** Runs a round of {@code capability} after {@code delayMillis}, off the timer thread. */
  private void later(String capability, int failures, long delayMillis) {
    if (closed) {
      return;
    }
    try {
      timer.schedule(() -> rounds.execute(() -> round(capability, failures)), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private void round(String capability, int failures) {
    if (closed) {
      return;
    }
    int sent;
    try {
      sent = dht.provide(capabilityKey(capability));
    } catch (RuntimeException e) {
      sent = 0;
    }
    if (sent > 0) {
      advertised.put(capability, sent);
      later(capability, 0, readvertise.toMillis());
    } else {
      // exponential backoff with decorrelated jitter, capped
      double ceiling = Math.min(retryMax.toMillis(), retryMin.toMillis() * Math.pow(RETRY_BASE, failures + 1));
      long delay = (long) ThreadLocalRandom.current().nextDouble(retryMin.toMillis(), Math.max(ceiling,
          retryMin.toMillis() + 1));
      later(capability, failures + 1, delay);
    }
  }

  /**
   * Up to {@code n} peers (not us) that advertise {@code capability}, as go-algorand's
   * {@code PeersForCapability}: asks for {@code n + 1} (we may be one of them) and returns what was
   * found within the find timeout (5 s), the lookup then being cut short. Blocks the caller for at
   * most about that long.
   */
  public List<KadPeer> peersForCapability(String capability, int n) {
    if (closed || n <= 0) {
      return List.of();
    }
    try {
      return dht.findProviders(capabilityKey(capability), n + 1, findTimeout).stream()
          .filter(p -> !p.id().equals(self)).limit(n).toList();
    } catch (RuntimeException e) {
      return List.of(); // the DHT closed meanwhile
    }
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    rounds.shutdownNow();
  }
}
