package io.gossipnet.p2p;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.spi.InboundMessage;
import io.gossipnet.core.spi.MessageConnection;
import io.gossipnet.core.spi.PayloadLimit;
import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Direction;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gossip stream as the engine's {@link MessageConnection} (the seed's {@code wsPeerConnP2P}):
 * messages are 4-byte big-endian length frames ({@link MessageFrames}); a batch is written and
 * flushed once. Closing resets the stream, and closes the libp2p connection only when the peer is
 * dropped for what it did (bad data, slowness, a disconnect request): as in the seed, where a
 * wsPeer's close ends its stream and only {@code disconnect} closes the peer's connection, the
 * connection stays open when
 *
 * <ul>
 *   <li>a newer stream on that connection replaced this one;
 *   <li>the stream is closed as a {@link DisconnectReason#DUPLICATE_CONNECTION duplicate} of the
 *       node's connection over the other network of a hybrid node;
 *   <li>the stream ended or was reset by the peer while its connection stayed open (the peer's own
 *       side of a duplicate).
 * </ul>
 *
 * <p>The connection carries the HTTP, GossipSub and Kademlia streams too: closing it with the
 * gossip stream failed HTTP requests in flight on it, and each connection dialed for an HTTP
 * request got a gossip stream that was closed as a duplicate in turn. "Outgoing" is the direction
 * of the libp2p connection, not of the stream.
 */
final class P2PStreamConnection implements MessageConnection {
  private static final int BUFFER = 64 * 1024;

  private final Stream stream;
  private final Connection connection;
  private final InputStream in;
  private final OutputStream out;
  private final String remoteAddress;
  private final String remoteHost;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean keepConnection;
  private volatile boolean endedByPeer;
  private volatile boolean leftConnectionOpen;
  private final java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();

  P2PStreamConnection(Stream stream, InputStream in, OutputStream out) {
    this.stream = stream;
    this.connection = stream.connection();
    this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, BUFFER);
    this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, BUFFER);
    this.remoteAddress = address(connection);
    this.remoteHost = hostOf(connection.remoteAddress());
  }

  /** Completes once the connection is closed. */
  java.util.concurrent.CompletableFuture<Void> closed() {
    return closed;
  }

  /** Runs {@code action} once the connection is closed (at once if it is). */
  void onClose(Runnable action) {
    closed.thenRun(action);
  }

  /** The {@code /ip4/.../tcp/.../p2p/<id>} address of the connection's remote. */
  static String address(Connection c) {
    return c.remoteAddress().withPeerId(c.remotePeerId()).toString();
  }

  /** The IP of a TCP multiaddr, else its text. */
  static String hostOf(Multiaddr a) {
    try {
      return a.toTcpSocketAddress().getAddress().getHostAddress();
    } catch (RuntimeException e) {
      return a.toString();
    }
  }

  /**
   * Makes {@link #close} reset only this stream and leave the libp2p connection open: the stream
   * was replaced by a newer one on the same connection.
   */
  void keepConnection() {
    keepConnection = true;
  }

  /** The libp2p connection the stream runs on. */
  Connection libp2pConnection() {
    return connection;
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public String remoteHost() {
    return remoteHost;
  }

  @Override
  public boolean outgoing() {
    return connection.direction() == Direction.OUTBOUND;
  }

  @Override
  public InboundMessage read(PayloadLimit limit) throws IOException {
    try {
      InboundMessage m = MessageFrames.read(in, limit);
      if (m == null) {
        endedByPeer = true;
      }
      return m;
    } catch (FrameException | io.gossipnet.core.spi.MessageTooLargeException e) {
      throw e;
    } catch (IOException e) {
      // The stream failed but not its framing: a reset by the peer while the connection lives on.
      if (connection.isOpen()) {
        endedByPeer = true;
      }
      throw e;
    }
  }

  /**
   * Whether {@link #close} left the libp2p connection open: the stream ended, and the connection
   * may carry a new gossip stream later.
   */
  boolean leftConnectionOpen() {
    return leftConnectionOpen;
  }

  @Override
  public void write(List<byte[]> messages) throws IOException {
    synchronized (out) {
      MessageFrames.writeAll(out, messages);
      out.flush();
    }
  }

  @Override
  public void close(DisconnectReason reason, Duration ackTimeout) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    try {
      stream.reset();
    } finally {
      try {
        boolean keep = keepConnection
            || reason == DisconnectReason.DUPLICATE_CONNECTION
            || (reason == DisconnectReason.READ_ERROR && endedByPeer);
        if (keep) {
          leftConnectionOpen = connection.isOpen();
        } else {
          connection.close();
        }
      } finally {
        closed.complete(null);
      }
    }
  }
}
