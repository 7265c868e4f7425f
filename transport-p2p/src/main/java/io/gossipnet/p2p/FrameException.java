package io.gossipnet.p2p;

import io.gossipnet.core.DisconnectReason;
import java.io.IOException;

/**
 * A gossip frame on a P2P stream could not be read: its length prefix is over the limit or too
 * small for a tag, or the stream ended in the middle of it. A clean end of the stream between two
 * frames is not an error (the reader returns null). The peer is closed with {@link
 * #disconnectReason()}, {@code ReadError}, as the seed closes it on any read error.
 */
public final class FrameException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the frame. */
  public enum Reason {
    /** The length prefix is over the limit ({@link MessageFrames#MAX_FRAME_LENGTH}). */
    TOO_LARGE,
    /** The length prefix is under 2: no room for the tag. */
    TOO_SHORT,
    /** The stream ended inside the frame: in its length prefix, tag or payload. */
    TRUNCATED
  }

  private final Reason reason;

  /** An exception for {@code reason} with a message that says what was seen. */
  public FrameException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** What was wrong with the frame. */
  public Reason reason() {
    return reason;
  }

  /** Whether this is an end of stream inside a frame ({@link Reason#TRUNCATED}). */
  public boolean isEndOfStream() {
    return reason == Reason.TRUNCATED;
  }

  /** The core's reason to close the peer with: always {@code ReadError}. */
  public DisconnectReason disconnectReason() {
    return DisconnectReason.READ_ERROR;
  }

  @Override
  public String getMessage() {
    return reason + ": " + super.getMessage();
  }
}
