package io.gossipnet.libp2p;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * One multiplexed stream on a {@link Connection}, after protocol negotiation. Reads and writes
 * block, and that is the backpressure: {@link #in()} refills the remote's send window only as the
 * application consumes bytes, and {@link #out()} waits while the remote's receive window is
 * exhausted. Protocol handlers run on virtual threads, so blocking is cheap.
 */
public interface Stream extends Closeable {
  /** The connection this stream belongs to. */
  Connection connection();

  /** The negotiated protocol ID. */
  String protocol();

  /** Bytes from the remote; {@code read} returns -1 after the remote half-closed. */
  InputStream in();

  /** Bytes to the remote. {@code close()} on it half-closes, like {@link #closeWrite()}. */
  OutputStream out();

  /** Sets how long a read may wait for data before it fails ({@code null} for no limit). */
  void setReadTimeout(Duration timeout);

  /** Half-closes: no more writes; the remote sees end of stream. */
  void closeWrite();

  /** Aborts the stream in both directions. */
  void reset();

  /** Half-closes and discards whatever the remote still sends. */
  @Override
  void close();
}
