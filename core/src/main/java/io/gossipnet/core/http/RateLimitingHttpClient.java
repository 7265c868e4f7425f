package io.gossipnet.core.http;

import io.gossipnet.core.phonebook.ConnectionWait;
import io.gossipnet.core.phonebook.Delayer;
import io.gossipnet.core.phonebook.Phonebook;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link PeerHttpClient} that applies the phonebook's per-address rate limit to another client
 * bound to the same peer, like the seed's {@code limitcaller.RateLimitingBoundTransport}. Before
 * each request it asks {@link Phonebook#getConnectionWaitTime(String)}; it waits while the wait
 * ends before the queueing deadline (the queueing timeout after the request started), and
 * otherwise fails with {@link PeerHttpClient.RateLimitedException}. After the request, successful
 * or not, the attempt is recorded with {@link Phonebook#updateConnectionTime(String, long)}.
 * Waiting blocks the calling thread, so call it from a virtual thread.
 */
public final class RateLimitingHttpClient implements PeerHttpClient {
  /** The seed's {@code DefaultQueueingTimeout}. */
  public static final Duration DEFAULT_QUEUEING_TIMEOUT = Duration.ofSeconds(10);

  private final PeerHttpClient inner;
  private final String key;
  private final Phonebook phonebook;
  private final Duration queueingTimeout;
  private final Delayer delayer;

  /** Wraps {@code inner} with the {@link #DEFAULT_QUEUEING_TIMEOUT}, waiting on real time. */
  public RateLimitingHttpClient(PeerHttpClient inner, Phonebook phonebook) {
    this(inner, phonebook, DEFAULT_QUEUEING_TIMEOUT, Delayer.system());
  }

  /**
   * Wraps {@code inner}.
   *
   * @param inner the raw client; its {@link PeerHttpClient#address()} is the phonebook key
   * @param phonebook the phonebook whose clock and rate limit apply
   * @param queueingTimeout the longest a request may be held back by the rate limit
   * @param delayer how to wait (its {@link Delayer#sleep} is used)
   */
  public RateLimitingHttpClient(
      PeerHttpClient inner, Phonebook phonebook, Duration queueingTimeout, Delayer delayer) {
    this(inner, inner.address(), phonebook, queueingTimeout, delayer);
  }

  /**
   * Wraps {@code inner}, rate-limited under the phonebook entry {@code phonebookKey} (the entry of
   * the node {@code inner} reaches, which may be written differently from its address).
   *
   * @param inner the raw client
   * @param phonebookKey the phonebook address whose rate limit applies
   * @param phonebook the phonebook whose clock and rate limit apply
   * @param queueingTimeout the longest a request may be held back by the rate limit
   * @param delayer how to wait (its {@link Delayer#sleep} is used)
   */
  public RateLimitingHttpClient(
      PeerHttpClient inner, String phonebookKey, Phonebook phonebook, Duration queueingTimeout, Delayer delayer) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.key = Objects.requireNonNull(phonebookKey, "phonebookKey");
    this.phonebook = Objects.requireNonNull(phonebook, "phonebook");
    this.queueingTimeout = Objects.requireNonNull(queueingTimeout, "queueingTimeout");
    this.delayer = Objects.requireNonNull(delayer, "delayer");
    if (queueingTimeout.isNegative()) {
      throw new IllegalArgumentException("queueingTimeout must not be negative: " + queueingTimeout);
    }
  }

  @Override
  public String address() {
    return inner.address();
  }

  /** The longest a request may be held back by the rate limit. */
  public Duration queueingTimeout() {
    return queueingTimeout;
  }

  @Override
  public HttpResponse send(HttpRequest request) throws IOException {
    String addr = key;
    long deadline = phonebook.nanoTime() + queueingTimeout.toNanos();
    ConnectionWait w;
    while (true) {
      w = phonebook.getConnectionWaitTime(addr);
      if (!w.mustWait()) {
        break;
      }
      long waitEnd = phonebook.nanoTime() + w.waitTime().toNanos();
      if (waitEnd - deadline >= 0) {
        throw new RateLimitedException(
            "rate limit for "
                + addr
                + ": the next connection slot is "
                + w.waitTime().toMillis()
                + " ms away, beyond the queueing timeout of "
                + queueingTimeout.toMillis()
                + " ms");
      }
      try {
        delayer.sleep(w.waitTime());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException io =
            new InterruptedIOException("interrupted while rate-limited for " + addr);
        io.initCause(e);
        throw io;
      }
    }
    try {
      return inner.send(request);
    } finally {
      phonebook.updateConnectionTime(addr, w.provisionalTime());
    }
  }
}
