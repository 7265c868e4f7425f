package io.gossipnet.libp2p.internal.noise;

import io.gossipnet.libp2p.Libp2pException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * Noise transport messages: each frame is a 2-byte big-endian length and at most 65535 bytes of
 * ChaChaPoly ciphertext (plaintext up to 65519 bytes). Outbound buffers are split into frames.
 */
public final class NoiseTransportCodec extends ByteToMessageCodec<ByteBuf> {
  /** Largest plaintext per frame. */
  public static final int MAX_PLAINTEXT = 65535 - CipherState.TAG;
  private boolean failed;
  private final CipherState send;
  private final CipherState receive;

  /** A codec with the transport cipher states from the handshake. */
  public NoiseTransportCodec(CipherState send, CipherState receive) {
    super(ByteBuf.class, false);
    this.send = send;
    this.receive = receive;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf msg, ByteBuf out) throws Exception {
    while (msg.isReadable()) {
      int chunk = Math.min(MAX_PLAINTEXT, msg.readableBytes());
      out.ensureWritable(2 + chunk + CipherState.TAG);
      out.writeShort(chunk + CipherState.TAG);
      ByteBuffer src = msg.nioBuffer(msg.readerIndex(), chunk);
      ByteBuffer dst = out.nioBuffer(out.writerIndex(), chunk + CipherState.TAG);
      send.encrypt(src, dst);
      msg.skipBytes(chunk);
      out.writerIndex(out.writerIndex() + chunk + CipherState.TAG);
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
    while (in.readableBytes() >= 2) {
      int len = in.getUnsignedShort(in.readerIndex());
      if (len < CipherState.TAG) {
        throw new Libp2pException("noise frame of " + len + " bytes is shorter than its tag");
      }
      if (in.readableBytes() < 2 + len) {
        return;
      }
      ByteBuf plain = ctx.alloc().heapBuffer(len - CipherState.TAG);
      try {
        receive.decrypt(in.nioBuffer(in.readerIndex() + 2, len), plain.nioBuffer(0, len - CipherState.TAG));
      } catch (GeneralSecurityException e) {
        plain.release();
        throw new Libp2pException("noise frame failed to decrypt: " + e.getMessage(), e);
      }
      in.skipBytes(2 + len);
      plain.writerIndex(len - CipherState.TAG);
      out.add(plain);
    }
  }
}
