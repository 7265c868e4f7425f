package io.gossipnet.core.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** The remote side refused a connection during the handshake. */
public final class HandshakeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param message what went wrong, ASCII-filtered
   * @param status the remote's HTTP status (e.g. 412, 429, 503, 508), or 0 if none
   * @param retryAfter how long the remote asked us to wait, or null
   */
  public HandshakeException(String message, int status, Duration retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /** The remote's HTTP status, or 0. */
  public int status() {
    return status;
  }

  /** How long the remote asked us to wait before dialing again. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
