package io.gossipnet.libp2p.host;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Direction;
import io.gossipnet.libp2p.IdentifyInfo;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.internal.mss.Multistream;
import io.gossipnet.libp2p.internal.yamux.ChannelReason;
import io.gossipnet.libp2p.internal.yamux.YamuxSession;
import io.gossipnet.libp2p.internal.yamux.YamuxStream;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/** A {@link Connection} backed by a Netty channel and its Yamux session. */
final class HostConnection implements Connection {
  private final Channel channel;
  private final YamuxSession session;
  private final PeerId remotePeerId;
  private final Direction direction;
  private final boolean early;
  private final Executor executor;
  private final HostConfig config;
  private final java.util.function.Consumer<String> events;
  private final Multiaddr remoteAddress;
  private final Multiaddr localAddress;
  private final CompletableFuture<IdentifyInfo> identify = new CompletableFuture<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  HostConnection(Channel channel, YamuxSession session, PeerId remotePeerId, Direction direction, boolean early,
      Executor executor, HostConfig config, java.util.function.Consumer<String> events) {
    this.channel = channel;
    this.session = session;
    this.remotePeerId = remotePeerId;
    this.direction = direction;
    this.early = early;
    this.executor = executor;
    this.config = config;
    this.events = events;
    this.remoteAddress = Multiaddr.fromSocketAddress((InetSocketAddress) channel.remoteAddress());
    this.localAddress = Multiaddr.fromSocketAddress((InetSocketAddress) channel.localAddress());
  }

  @Override
  public PeerId remotePeerId() {
    return remotePeerId;
  }

  @Override
  public Multiaddr remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Multiaddr localAddress() {
    return localAddress;
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public boolean earlyMuxerNegotiated() {
    return early;
  }

  @Override
  public CompletableFuture<Stream> newStream(List<String> protocols) {
    return CompletableFuture.supplyAsync(() -> {
      YamuxStream s;
      try {
        s = session.openStream();
      } catch (Libp2pException e) {
        throw new CompletionException(e);
      }
      s.bind(this);
      try {
        String p;
        try (Host.NegotiationDeadline d = Host.negotiationDeadline(this, s, config, events)) {
          p = Multistream.select(s.in(), s.out(), protocols);
        }
        s.protocol(p);
        return s;
      } catch (Exception e) {
        s.reset();
        throw new CompletionException(e instanceof Libp2pException ? e
            : new Libp2pException("stream negotiation of " + protocols + " failed: " + e, e));
      }
    }, executor);
  }

  @Override
  public CompletableFuture<IdentifyInfo> identify() {
    return identify;
  }

  /** Replaces the identify record after an identify push. */
  void updateIdentify(IdentifyInfo info) {
    if (!identify.complete(info)) {
      identify.obtrudeValue(info);
    }
  }

  CompletableFuture<IdentifyInfo> identifyFuture() {
    return identify;
  }

  @Override
  public int streamCount() {
    return session.streamCount();
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public CompletableFuture<String> closeFuture() {
    return closed;
  }

  void markClosed(String reason) {
    closed.complete(reason);
    identify.completeExceptionally(new Libp2pException("connection closed: " + reason));
  }

  Channel channel() {
    return channel;
  }

  @Override
  public void close() {
    close("closed locally");
  }

  /** Closes with {@code reason} (reported to the connection listeners), unless a reason was set already. */
  void close(String reason) {
    channel.attr(ChannelReason.KEY).setIfAbsent(reason);
    if (channel.isActive()) {
      session.goAway();
    }
    channel.close();
  }

  @Override
  public String toString() {
    return "Connection(" + direction + " " + remotePeerId + " " + remoteAddress + ")";
  }
}
