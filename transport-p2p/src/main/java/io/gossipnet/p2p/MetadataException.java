package io.gossipnet.p2p;

import io.gossipnet.core.DisconnectReason;
import java.io.IOException;

/**
 * The V22 start-of-stream metadata exchange failed: the peer's frame was truncated, malformed or
 * over a limit, no protocol version is common, or our own frame could not be encoded. The stream
 * is to be reset, as the seed does; {@link #reason()} says why and {@link #disconnectReason()}
 * gives the core's reason to count it under.
 */
public final class MetadataException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the exchange. */
  public enum Reason {
    /** The stream ended before the whole frame (length prefix and content) was read. */
    TRUNCATED(DisconnectReason.READ_ERROR),
    /** The declared length is not the length of the msgpack content (shorter or longer). */
    LENGTH_MISMATCH(DisconnectReason.BAD_DATA),
    /** The content is not a msgpack {@code map[string][]string}. */
    MALFORMED(DisconnectReason.BAD_DATA),
    /** More than {@link MetadataFrame#MAX_KEYS} header names. */
    TOO_MANY_KEYS(DisconnectReason.BAD_DATA),
    /** More than {@link MetadataFrame#MAX_VALUES} values for one header name. */
    TOO_MANY_VALUES(DisconnectReason.BAD_DATA),
    /** A frame over {@link MetadataFrame#MAX_LENGTH} bytes (our own: the seed panics there). */
    TOO_LARGE(DisconnectReason.BAD_DATA),
    /** None of the peer's accepted versions, nor its version, is one we support. */
    NO_COMMON_VERSION(DisconnectReason.BAD_DATA);

    private final DisconnectReason disconnectReason;

    Reason(DisconnectReason disconnectReason) {
      this.disconnectReason = disconnectReason;
    }
  }

  private final Reason reason;

  /** An exception for {@code reason} with a message that says what was seen. */
  public MetadataException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** An exception for {@code reason} caused by {@code cause}. */
  public MetadataException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the exchange failed. */
  public Reason reason() {
    return reason;
  }

  /**
   * The core's disconnect reason for this failure: {@code ReadError} for a truncated stream,
   * {@code BadData} for everything the peer got wrong.
   */
  public DisconnectReason disconnectReason() {
    return reason.disconnectReason;
  }

  @Override
  public String getMessage() {
    return reason + ": " + super.getMessage();
  }
}
