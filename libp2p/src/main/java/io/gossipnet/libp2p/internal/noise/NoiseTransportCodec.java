package io.gossipnet.libp2p.internal.noise;

import io.gossipnet.libp2p.Libp2pException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import java.security.GeneralSecurityException;

/**
 * Noise transport messages: each frame is a 2-byte big-endian length and at most 65535 bytes of
 * ChaChaPoly ciphertext (plaintext up to 65519 bytes). Outbound buffers are split into frames.
 *
 * <p>Not a {@code ByteToMessageCodec}: a 64 KiB frame nearly always spans two socket reads, and a
 * cumulating decoder copies each read into its cumulation before the frame can be decrypted. Here
 * the ciphertext of a frame is gathered straight into a reused array (the JDK cipher wants arrays
 * anyway), so every received byte is copied once before decryption, and no cumulation buffer is
 * allocated or grown. Outbound, the ciphertext goes into one exactly sized direct buffer that the
 * socket writes as it is (no heap-to-direct copy in the transport, no buffer growth).
 */
public final class NoiseTransportCodec extends ChannelDuplexHandler {
  /** Largest plaintext per frame. */
  public static final int MAX_PLAINTEXT = 65535 - CipherState.TAG;
  private final CipherState send;
  private final CipherState receive;
  /** Reused per channel (the codec runs on one event loop): no allocation per frame. */
  private final byte[] scratch = new byte[65535];
  private final byte[] scratchOut = new byte[65535];
  private boolean failed;
  /** Bytes of the current frame's 2-byte length seen so far (0, 1 or 2). */
  private int lengthBytes;
  /** Ciphertext length of the current frame, once {@code lengthBytes == 2}. */
  private int frameLength;
  /** Ciphertext bytes of the current frame gathered into {@link #scratch}. */
  private int gathered;

  /** A codec with the transport cipher states from the handshake. */
  public NoiseTransportCodec(CipherState send, CipherState receive) {
    this.send = send;
    this.receive = receive;
  }

  // ---- outbound ----

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.write(msg, promise);
      return;
    }
    ByteBuf out = null;
    try {
      int plain = buf.readableBytes();
      int frames = plain == 0 ? 0 : (plain + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT;
      out = ctx.alloc().ioBuffer(plain + frames * (2 + CipherState.TAG));
      encode(buf, out);
    } catch (Throwable e) {
      if (out != null) {
        out.release();
      }
      buf.release();
      promise.setFailure(e instanceof EncoderException ? e : new EncoderException(e));
      return;
    }
    buf.release();
    ctx.write(out, promise);
  }

  private void encode(ByteBuf msg, ByteBuf out) throws GeneralSecurityException {
    while (msg.isReadable()) {
      int chunk = Math.min(MAX_PLAINTEXT, msg.readableBytes());
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
        out.writerIndex(out.writerIndex() + chunk + CipherState.TAG);
      } else {
        int n = send.encrypt(src, srcOff, chunk, scratchOut, 0);
        out.writeBytes(scratchOut, 0, n);
      }
      msg.skipBytes(chunk);
    }
  }

  // ---- inbound ----

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (!failed) {
        decode(ctx, in);
      }
    } catch (Exception e) {
      // The first error closes the connection; bytes after it are ignored, not reported again.
      failed = true;
      throw e instanceof DecoderException ? e : new DecoderException(e);
    } finally {
      in.release();
    }
  }

  private void decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
    while (in.isReadable() && !failed && !ctx.isRemoved()) {
      if (lengthBytes < 2) {
        if (lengthBytes == 0 && in.readableBytes() >= 2) {
          frameLength = in.readUnsignedShort();
          lengthBytes = 2;
        } else {
          frameLength = (frameLength << 8) | in.readUnsignedByte();
          lengthBytes++;
        }
        if (lengthBytes == 2 && frameLength < CipherState.TAG) {
          throw new Libp2pException("noise frame of " + frameLength + " bytes is shorter than its tag");
        }
        continue;
      }
      int len = frameLength;
      ByteBuf plain;
      if (gathered == 0 && in.hasArray() && in.readableBytes() >= len) {
        // the whole frame in a heap buffer: decrypt it where it is
        plain = decrypt(ctx, in.array(), in.arrayOffset() + in.readerIndex(), len);
        in.skipBytes(len);
      } else {
        int n = Math.min(len - gathered, in.readableBytes());
        in.readBytes(scratch, gathered, n);
        gathered += n;
        if (gathered < len) {
          return;
        }
        plain = decrypt(ctx, scratch, 0, len);
      }
      gathered = 0;
      lengthBytes = 0;
      frameLength = 0;
      ctx.fireChannelRead(plain);
    }
  }

  private ByteBuf decrypt(ChannelHandlerContext ctx, byte[] src, int off, int len) throws Libp2pException {
    ByteBuf plain = ctx.alloc().heapBuffer(len - CipherState.TAG);
    try {
      if (plain.hasArray()) {
        receive.decrypt(src, off, len, plain.array(), plain.arrayOffset());
      } else {
        int n = receive.decrypt(src, off, len, scratchOut, 0);
        plain.setBytes(0, scratchOut, 0, n);
      }
    } catch (GeneralSecurityException e) {
      plain.release();
      throw new Libp2pException("noise frame failed to decrypt: " + e.getMessage(), e);
    }
    plain.writerIndex(len - CipherState.TAG);
    return plain;
  }
}
