package io.gossipnet.core.http;

import java.io.IOException;

/**
 * An HTTP client bound to one peer. Requests go only to that peer and are rate-limited per peer
 * address; a request that would wait longer than the queueing timeout fails with {@link
 * RateLimitedException}.
 */
public interface PeerHttpClient {
  /** The peer address this client is bound to. */
  String address();

  /**
   * Sends a request to the peer and reads the whole response.
   *
   * @throws RateLimitedException if the per-address rate limit would make it wait too long
   * @throws IOException if the exchange fails
   */
  HttpResponse send(HttpRequest request) throws IOException;

  /** The per-address rate limit would have delayed a request past the queueing timeout. */
  final class RateLimitedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public RateLimitedException(String message) {
      super(message);
    }
  }
}
