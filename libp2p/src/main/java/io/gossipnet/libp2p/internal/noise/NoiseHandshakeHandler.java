package io.gossipnet.libp2p.internal.noise;

import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.crypto.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Runs the Noise XX handshake on a channel (frames with a 2-byte big-endian length), verifies the
 * libp2p payload, then installs {@link NoiseTransportCodec} in its place and reports the verified
 * remote. Any failure is thrown and closes the channel through the pipeline's guard.
 */
public final class NoiseHandshakeHandler extends ByteToMessageDecoder {
  /** Name of the transport codec in the pipeline. */
  public static final String CODEC_NAME = "noise";
  private boolean failed;
  private final boolean initiator;
  private final byte[] payload;
  private final PeerId expected;
  private final BiConsumer<ChannelHandlerContext, NoisePayload.Verified> onSecured;
  private final NoiseXXHandshake hs;
  private int step;

  /**
   * A handshake handler.
   *
   * @param staticKey our static X25519 key (one per host, as js-libp2p does)
   * @param payload our signed handshake payload for {@code staticKey} ({@link NoisePayload#create})
   * @param expected the dialed peer ID, or null when unknown (inbound, or dialed without /p2p/)
   */
  public NoiseHandshakeHandler(boolean initiator, KeyPair staticKey, byte[] payload, PeerId expected,
      BiConsumer<ChannelHandlerContext, NoisePayload.Verified> onSecured) {
    this.initiator = initiator;
    this.payload = payload;
    this.expected = expected;
    this.onSecured = onSecured;
    this.hs = new NoiseXXHandshake(initiator, staticKey);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    if (initiator) {
      send(ctx, hs.writeMessageA(new byte[0]));
    }
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
    if (ctx.isRemoved() || in.readableBytes() < 2) {
      return;
    }
    int len = in.getUnsignedShort(in.readerIndex());
    if (in.readableBytes() < 2 + len) {
      return;
    }
    in.skipBytes(2);
    byte[] msg = new byte[len];
    in.readBytes(msg);
    try {
      if (initiator) {
        if (step++ != 0) {
          throw new Libp2pException("unexpected noise handshake message");
        }
        byte[] remotePayload = hs.readMessageB(msg);
        NoisePayload.Verified remote = NoisePayload.verify(remotePayload, hs.remoteStatic(), expected);
        send(ctx, hs.writeMessageC(payload));
        finish(ctx, remote);
      } else if (step == 0) {
        step++;
        hs.readMessageA(msg);
        send(ctx, hs.writeMessageB(payload));
      } else {
        byte[] remotePayload = hs.readMessageC(msg);
        NoisePayload.Verified remote = NoisePayload.verify(remotePayload, hs.remoteStatic(), null);
        finish(ctx, remote);
      }
    } catch (GeneralSecurityException e) {
      throw new Libp2pException("noise handshake failed: " + e, e);
    }
  }

  private void finish(ChannelHandlerContext ctx, NoisePayload.Verified remote) throws GeneralSecurityException {
    CipherState[] cs = hs.split();
    ctx.pipeline().addAfter(ctx.name(), CODEC_NAME, new NoiseTransportCodec(cs[0], cs[1]));
    onSecured.accept(ctx.pipeline().context(CODEC_NAME), remote);
    ctx.pipeline().remove(this);
  }

  private static void send(ChannelHandlerContext ctx, byte[] msg) {
    ByteBuf b = Unpooled.buffer(2 + msg.length);
    b.writeShort(msg.length);
    b.writeBytes(msg);
    ctx.writeAndFlush(b);
  }
}
