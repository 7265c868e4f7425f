package io.gossipnet.core.spi;

import io.gossipnet.core.DisconnectReason;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * One established, handshaken connection to a peer, as a transport supplies it to the peer engine.
 * The engine runs one read loop and one write loop per connection (virtual threads), so both
 * methods may block.
 *
 * <p>Wire unit: a message is a 2-byte tag followed by its payload. How that is framed (a WebSocket
 * binary message, a length-prefixed frame on a stream, an object in memory) is the transport's
 * business.
 */
public interface MessageConnection {
  /** The address that identifies the peer and would redial it (e.g. {@code http://host:port}). */
  String remoteAddress();

  /** The remote host (IP address as text) for per-address accounting, or empty if unknown. */
  String remoteHost();

  /** Whether this node dialed the connection. */
  boolean outgoing();

  /**
   * Reads the next message, blocking until one arrives. As soon as the tag is known, and before the
   * payload is buffered, the transport asks {@code limit} for that tag's largest payload and fails
   * with {@link MessageTooLargeException} if the message is larger.
   *
   * @return the message, or null if the peer closed the connection in an orderly way
   * @throws MessageTooLargeException if the payload exceeds the tag's limit
   * @throws IOException if the connection failed or the peer sent a malformed frame
   */
  InboundMessage read(PayloadLimit limit) throws IOException;

  /**
   * Writes messages in order, each a complete tag + payload, blocking until the transport has
   * taken all of them. A transport should write them with one flush: the write loop hands over
   * every message that was queued, and this is where small-message throughput comes from.
   *
   * <p>The arrays are shared between peers and must not be modified.
   *
   * @throws IOException if the connection failed
   */
  void write(List<byte[]> messages) throws IOException;

  /**
   * Closes the connection, waiting at most {@code ackTimeout} for the peer to acknowledge where the
   * protocol has a close handshake. Idempotent; unblocks a pending {@link #read}.
   */
  void close(DisconnectReason reason, Duration ackTimeout);
}
