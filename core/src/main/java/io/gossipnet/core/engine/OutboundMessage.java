package io.gossipnet.core.engine;

import io.gossipnet.core.filter.Digest;
import io.gossipnet.core.interest.TagSet;

/**
 * A message on its way out, prepared once and shared by every peer queue it is put in: the frame
 * (tag + payload), the digest used by the outgoing filter, and when it was queued. A control entry
 * ({@link #controlTags} set) carries a new message-of-interest filter to the write loop instead of
 * a frame.
 */
final class OutboundMessage {
  final byte[] frame;
  final int tagCode;
  final Digest digest;
  final long enqueueNanos;
  final Runnable onRelease;
  final TagSet controlTags;

  OutboundMessage(byte[] frame, int tagCode, Digest digest, long enqueueNanos, Runnable onRelease) {
    this.frame = frame;
    this.tagCode = tagCode;
    this.digest = digest;
    this.enqueueNanos = enqueueNanos;
    this.onRelease = onRelease;
    this.controlTags = null;
  }

  private OutboundMessage(TagSet controlTags, long enqueueNanos) {
    this.frame = null;
    this.tagCode = -1;
    this.digest = null;
    this.enqueueNanos = enqueueNanos;
    this.onRelease = null;
    this.controlTags = controlTags;
  }

  static OutboundMessage control(TagSet tags) {
    return new OutboundMessage(tags, System.nanoTime());
  }

  /** Builds the wire frame: the two tag bytes followed by the payload. */
  static byte[] frame(io.gossipnet.core.Tag tag, byte[] payload) {
    byte[] f = new byte[payload.length + 2];
    f[0] = tag.firstByte();
    f[1] = tag.secondByte();
    System.arraycopy(payload, 0, f, 2, payload.length);
    return f;
  }

  void release() {
    if (onRelease != null) {
      onRelease.run();
    }
  }
}
