package io.gossipnet.core.engine;

import io.gossipnet.core.filter.Digest;
import io.gossipnet.core.interest.TagSet;

/**
 * A message on its way out, prepared once and shared by every peer queue it is put in: the frame
 * (tag + payload), whether the outgoing filter applies to it, and when it was queued. A control
 * entry ({@link #controlTags} set) carries a new message-of-interest filter to the write loop
 * instead of a frame.
 *
 * <p>The digest the outgoing filters compare (SHA-512/256 of tag and payload, i.e. of the frame) is
 * computed the first time a peer whose filter holds any digest asks for it, once for all peers; a
 * message that only goes to peers that never announced a digest is never hashed.
 */
final class OutboundMessage {
  final byte[] frame;
  final int tagCode;
  /** Whether the outgoing filters compare this message's digest. */
  final boolean filterable;
  final long enqueueNanos;
  final Runnable onRelease;
  final TagSet controlTags;
  /** Computed on first use; only the broadcaster thread asks for it. */
  private Digest digest;

  OutboundMessage(byte[] frame, int tagCode, boolean filterable, long enqueueNanos, Runnable onRelease) {
    this.frame = frame;
    this.tagCode = tagCode;
    this.filterable = filterable;
    this.enqueueNanos = enqueueNanos;
    this.onRelease = onRelease;
    this.controlTags = null;
  }

  private OutboundMessage(TagSet controlTags, long enqueueNanos) {
    this.frame = null;
    this.tagCode = -1;
    this.filterable = false;
    this.enqueueNanos = enqueueNanos;
    this.onRelease = null;
    this.controlTags = controlTags;
  }

  static OutboundMessage control(TagSet tags, long nowNanos) {
    return new OutboundMessage(tags, nowNanos);
  }

  /** Builds the wire frame: the two tag bytes followed by the payload. */
  static byte[] frame(io.gossipnet.core.Tag tag, byte[] payload) {
    byte[] f = new byte[payload.length + 2];
    f[0] = tag.firstByte();
    f[1] = tag.secondByte();
    System.arraycopy(payload, 0, f, 2, payload.length);
    return f;
  }

  /** The digest of the frame ({@link Digest#of} of tag and payload), computed once. */
  Digest digest() {
    Digest d = digest;
    if (d == null) {
      d = Digest.ofFrame(frame);
      digest = d;
    }
    return d;
  }

  void release() {
    if (onRelease != null) {
      onRelease.run();
    }
  }
}
