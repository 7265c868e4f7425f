package io.gossipnet.libp2p;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A secured, multiplexed connection to one remote peer (TCP + Noise + Yamux). */
public interface Connection {
  /** The authenticated remote peer. */
  PeerId remotePeerId();

  /** The remote's transport address. */
  Multiaddr remoteAddress();

  /** Our transport address on this connection. */
  Multiaddr localAddress();

  /** Who dialed. */
  Direction direction();

  /** The muxer negotiated (early in Noise, or by multistream-select). */
  boolean earlyMuxerNegotiated();

  /**
   * Opens a stream and negotiates the first protocol of {@code protocols} the remote supports.
   * Fails with {@link Libp2pException} if none is supported.
   */
  CompletableFuture<Stream> newStream(List<String> protocols);

  /** Opens a stream for one protocol. */
  default CompletableFuture<Stream> newStream(String protocol) {
    return newStream(List.of(protocol));
  }

  /**
   * The remote's identify record, completed when our identify request finished; replaced by the
   * newer record when the remote sends an identify push.
   */
  CompletableFuture<IdentifyInfo> identify();

  /** Number of open streams. */
  int streamCount();

  /** True until the connection closed. */
  boolean isOpen();

  /** Completes with the reason when the connection closed. */
  CompletableFuture<String> closeFuture();

  /** Closes the connection (Yamux go-away, then TCP close). */
  void close();
}
