package io.gossipnet.libp2p.hostile;

import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.internal.mss.Multistream;
import io.gossipnet.libp2p.internal.noise.CipherState;
import io.gossipnet.libp2p.internal.noise.NoisePayload;
import io.gossipnet.libp2p.internal.noise.NoiseXXHandshake;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A misbehaving peer on a plain socket: it speaks just enough multistream-select, Noise and Yamux
 * to reach the layer under test and then sends what a test tells it to.
 */
final class HostileClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private CipherState send;
  private CipherState receive;

  HostileClient(Multiaddr address) throws IOException {
    InetSocketAddress a = address.withoutPeerId().toTcpSocketAddress();
    socket = new Socket(a.getAddress(), a.getPort());
    socket.setSoTimeout(15_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** multistream-select for /noise. */
  void negotiateNoise() throws IOException {
    writeRaw(Multistream.encode(Multistream.HEADER, "/noise"));
    Multistream.read(in);
    Multistream.read(in);
  }

  void writeNoiseFrame(byte[] msg) throws IOException {
    byte[] f = new byte[2 + msg.length];
    f[0] = (byte) (msg.length >> 8);
    f[1] = (byte) msg.length;
    System.arraycopy(msg, 0, f, 2, msg.length);
    writeRaw(f);
  }

  byte[] readNoiseFrame() throws IOException {
    DataInputStream d = new DataInputStream(in);
    int len = d.readUnsignedShort();
    byte[] msg = new byte[len];
    d.readFully(msg);
    return msg;
  }

  /**
   * Runs the Noise XX handshake as initiator with an early-muxer payload; {@code signWith} signs
   * the static key (pass another key than {@code identity} for a wrong signature).
   */
  void handshake(PrivateKey identity, PrivateKey signWith) throws Exception {
    handshake(identity, signWith, List.of("/yamux/1.0.0"));
  }

  /**
   * The Noise XX handshake announcing {@code muxers} in its payload; with none, the muxer is then
   * negotiated with multistream-select inside Noise ({@link #negotiateYamux}).
   */
  void handshake(PrivateKey identity, PrivateKey signWith, List<String> muxers) throws Exception {
    negotiateNoise();
    NoiseXXHandshake hs = new NoiseXXHandshake(true, NoiseXXHandshake.generateX25519());
    writeNoiseFrame(hs.writeMessageA(new byte[0]));
    hs.readMessageB(readNoiseFrame());
    byte[] payload = NoisePayload.create(signWith, hs.staticPublic(), muxers);
    if (signWith != identity) {
      // keep the signature made by the other key but claim the identity key
      byte[] good = NoisePayload.create(identity, hs.staticPublic(), muxers);
      payload = splice(good, payload);
    }
    writeNoiseFrame(hs.writeMessageC(payload));
    CipherState[] cs = hs.split();
    send = cs[0];
    receive = cs[1];
  }

  /** Replaces the signature field of {@code good} by the one from {@code other}. */
  private static byte[] splice(byte[] good, byte[] other) {
    // both start with field 1 (key, 36 bytes + 2) then field 2 (sig, 64 bytes + 2)
    byte[] out = good.clone();
    System.arraycopy(other, 38, out, 38, 66);
    return out;
  }

  /** Sends plaintext through the Noise session (one frame). */
  void send(byte[] plain) throws Exception {
    byte[] c = send.encrypt(null, plain);
    writeNoiseFrame(c);
  }

  /**
   * Proposes {@code /yamux/1.0.0} with multistream-select inside Noise (after a handshake without
   * early muxer negotiation); true if the host agrees, false if it refuses or closes.
   */
  boolean negotiateYamux() throws Exception {
    send(Multistream.encode(Multistream.HEADER, "/yamux/1.0.0"));
    io.netty.buffer.ByteBuf got = io.netty.buffer.Unpooled.buffer();
    try {
      List<String> answers = new java.util.ArrayList<>();
      while (answers.size() < 2) {
        String m = Multistream.read(got);
        if (m != null) {
          answers.add(m);
          continue;
        }
        got.writeBytes(receive());
      }
      return answers.get(1).equals("/yamux/1.0.0");
    } catch (EOFException | SocketTimeoutException | java.net.SocketException e) {
      return false;
    } finally {
      got.release();
    }
  }

  /** Receives one decrypted Noise frame. */
  byte[] receive() throws Exception {
    return receive.decrypt(null, readNoiseFrame());
  }

  /** A Yamux frame the host sent (its header; data frames' payload is skipped). */
  record YamuxFrame(int type, int flags, int stream, int length) {
    boolean reset() {
      return (flags & 8) != 0;
    }
  }

  private final java.io.ByteArrayOutputStream pendingFrames = new java.io.ByteArrayOutputStream();

  /**
   * Reads the host's Yamux frames until {@code until} accepts one; false if the host closes the
   * connection or nothing arrives within the socket timeout first.
   */
  boolean readFramesUntil(java.util.function.Predicate<YamuxFrame> until) throws Exception {
    while (true) {
      ByteBuffer b = ByteBuffer.wrap(pendingFrames.toByteArray());
      boolean found = false;
      while (!found && b.remaining() >= 12) {
        int start = b.position();
        b.get();
        int type = b.get();
        int flags = b.getShort() & 0xFFFF;
        int id = b.getInt();
        int length = b.getInt();
        int dataLen = type == 0 ? length : 0;
        if (b.remaining() < dataLen) {
          b.position(start);
          break;
        }
        b.position(b.position() + dataLen);
        found = until.test(new YamuxFrame(type, flags, id, length));
      }
      byte[] rest = new byte[b.remaining()];
      b.get(rest);
      pendingFrames.reset();
      pendingFrames.writeBytes(rest);
      if (found) {
        return true;
      }
      try {
        pendingFrames.writeBytes(receive());
      } catch (EOFException | SocketTimeoutException | java.net.SocketException e) {
        return false;
      }
    }
  }

  static byte[] yamux(int type, int flags, int stream, int length, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    b.put((byte) 0).put((byte) type).putShort((short) flags).putInt(stream).putInt(length).put(data);
    return b.array();
  }

  /** True when the host closes the socket within the socket timeout (reads and discards). */
  boolean closedByRemote() throws IOException {
    byte[] buf = new byte[65536];
    try {
      while (in.read(buf) >= 0) {
        // drain what the host still sends (e.g. a go-away)
      }
      return true;
    } catch (EOFException | java.net.SocketException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  void timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
