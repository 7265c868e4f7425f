package io.gossipnet.core;

/**
 * A connected peer's traffic counters and send-queue depths, for monitoring (the peers endpoint of
 * {@code http-services}, operator tools). The counters start at zero when the connection is
 * made; each is updated by the one loop that owns it (the read loop for {@code *In}, the write
 * loop for {@code *Out}) and read here without locking, so a reading is current to within a
 * message or a batch.
 *
 * <p>Messages and bytes count what crosses the connection: every message read (control tags such
 * as {@code MI}, {@code MS} and {@code TS} included, duplicates included) and every message
 * written; bytes are the frame, the 2 tag bytes plus the payload, as the network's {@code
 * gossipnet.bytes.*} counters count them.
 */
public interface PeerTraffic extends Peer {
  /** Messages read from the peer. */
  long messagesIn();

  /** Bytes read from the peer (tag and payload). */
  long bytesIn();

  /** Messages written to the peer. */
  long messagesOut();

  /** Bytes written to the peer (tag and payload). */
  long bytesOut();

  /** Messages waiting in the peer's high-priority send queue. */
  int queuedHighPriority();

  /** Messages waiting in the peer's bulk send queue. */
  int queuedBulk();
}
