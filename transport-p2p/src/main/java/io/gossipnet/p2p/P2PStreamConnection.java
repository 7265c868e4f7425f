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
 * flushed once; closing resets the stream and closes the libp2p connection (unless a newer stream
 * on that connection replaced this one). "Outgoing" is the
 * direction of the libp2p connection, not of the stream.
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
    return MessageFrames.read(in, limit);
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
        if (!keepConnection) {
          connection.close();
        }
      } finally {
        closed.complete(null);
      }
    }
  }
}
