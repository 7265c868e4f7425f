package io.gossipnet.libp2p.internal.noise;

import io.gossipnet.libp2p.Libp2pException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
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
  /** Reused per channel (the codec runs on one event loop): no allocation per frame. */
  private final byte[] scratch = new byte[65535];
  private final byte[] scratchOut = new byte[65535];

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
      // Byte arrays, not ByteBuffers: the JDK cipher allocates a temporary array per call for
      // buffers that are not array-backed, which made the garbage rate equal to the data rate.
      byte[] src;
      int srcOff;
      if (msg.hasArray()) {
        src = msg.array();
        srcOff = msg.arrayOffset() + msg.readerIndex();
      } else {
        msg.getBytes(msg.readerIndex(), scratch, 0, chunk);
        src = scratch;
        srcOff = 0;
      }
      if (out.hasArray()) {
        send.encrypt(src, srcOff, chunk, out.array(), out.arrayOffset() + out.writerIndex());
      } else {
        int n = send.encrypt(src, srcOff, chunk, scratchOut, 0);
        out.setBytes(out.writerIndex(), scratchOut, 0, n);
      }
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
        byte[] src;
        int srcOff;
        if (in.hasArray()) {
          src = in.array();
          srcOff = in.arrayOffset() + in.readerIndex() + 2;
        } else {
          in.getBytes(in.readerIndex() + 2, scratch, 0, len);
          src = scratch;
          srcOff = 0;
        }
        if (plain.hasArray()) {
          receive.decrypt(src, srcOff, len, plain.array(), plain.arrayOffset());
        } else {
          int n = receive.decrypt(src, srcOff, len, scratchOut, 0);
          plain.setBytes(0, scratchOut, 0, n);
        }
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
