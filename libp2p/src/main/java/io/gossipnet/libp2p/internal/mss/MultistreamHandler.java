package io.gossipnet.libp2p.internal.mss;

import io.gossipnet.libp2p.Libp2pException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * multistream-select on a connection (before Noise, and for the muxer when it is not negotiated
 * early). The dialer proposes one protocol; the listener accepts any of {@code supported}. On
 * success it calls {@code onSelected}, which installs the next handlers, and removes itself; bytes
 * that arrived after the last message go on to the next handler. Failures close the channel.
 */
public final class MultistreamHandler extends ByteToMessageDecoder {
  private static final int MAX_PROPOSALS = 16;
  private boolean failed;
  private final boolean dialer;
  private final String proposal;
  private final Set<String> supported;
  private final BiConsumer<ChannelHandlerContext, String> onSelected;
  private boolean headerSeen;
  private boolean proposed;
  private int proposals;

  private MultistreamHandler(boolean dialer, String proposal, Set<String> supported,
      BiConsumer<ChannelHandlerContext, String> onSelected) {
    this.dialer = dialer;
    this.proposal = proposal;
    this.supported = supported;
    this.onSelected = onSelected;
  }

  /** The dialer side proposing {@code protocol}. */
  public static MultistreamHandler dialer(String protocol, BiConsumer<ChannelHandlerContext, String> onSelected) {
    return new MultistreamHandler(true, protocol, Set.of(protocol), onSelected);
  }

  /** The listener side accepting any of {@code supported}. */
  public static MultistreamHandler listener(Set<String> supported,
      BiConsumer<ChannelHandlerContext, String> onSelected) {
    return new MultistreamHandler(false, null, supported, onSelected);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    if (dialer && ctx.channel().isActive()) {
      propose(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (dialer) {
      propose(ctx);
    }
    super.channelActive(ctx);
  }

  private void propose(ChannelHandlerContext ctx) {
    if (proposed) {
      return;
    }
    proposed = true;
    // Header and proposal in one write: js does the same, and listeners must cope with it.
    ctx.writeAndFlush(Multistream.buffer(Multistream.encode(Multistream.HEADER, proposal)));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      decodeChecked(ctx, in, out);
    } catch (Exception e) {
      // The first error closes the connection; bytes after it are ignored, not reported again.
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }

  private void decodeChecked(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    while (!ctx.isRemoved()) {
      String msg = Multistream.read(in);
      if (msg == null) {
        return;
      }
      if (!headerSeen) {
        if (!Multistream.HEADER.equals(msg)) {
          throw new Libp2pException("remote speaks '" + msg + "', not " + Multistream.HEADER);
        }
        headerSeen = true;
        if (!dialer) {
          ctx.writeAndFlush(Multistream.buffer(Multistream.encode(Multistream.HEADER)));
        }
        continue;
      }
      if (dialer) {
        if (!proposal.equals(msg)) {
          throw new Libp2pException("remote answered '" + msg + "' to our proposal " + proposal);
        }
        select(ctx, msg);
        return;
      }
      if (supported.contains(msg)) {
        ctx.writeAndFlush(Multistream.buffer(Multistream.encode(msg)));
        select(ctx, msg);
        return;
      }
      if (++proposals > MAX_PROPOSALS) {
        throw new Libp2pException("remote made more than " + MAX_PROPOSALS + " multistream proposals");
      }
      ctx.writeAndFlush(Multistream.buffer("ls".equals(msg)
          ? Multistream.encodeList(supported) : Multistream.encode(Multistream.NA)));
    }
  }

  private void select(ChannelHandlerContext ctx, String protocol) {
    onSelected.accept(ctx, protocol);
    ctx.pipeline().remove(this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.fireExceptionCaught(cause);
  }
}
