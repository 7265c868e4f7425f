package io.gossipnet.libp2p.internal.noise;

import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.crypto.PublicKey;
import io.gossipnet.libp2p.internal.wire.ProtoReader;
import io.gossipnet.libp2p.internal.wire.ProtoWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * libp2p's Noise handshake payload: {@code NoiseHandshakePayload{identity_key=1, identity_sig=2,
 * extensions=4}} with {@code NoiseExtensions{stream_muxers=2}}, and its signature over
 * {@code "noise-libp2p-static-key:" ‖ static X25519 key}.
 */
public final class NoisePayload {
  private static final byte[] SIG_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_PAYLOAD = 65535;
  private static final int MAX_MUXERS = 16;

  private NoisePayload() {}

  /** A verified remote payload. */
  public record Verified(PeerId peerId, PublicKey publicKey, List<String> streamMuxers) {}

  /** Our payload signing our static key, advertising {@code muxers} (empty for none). */
  public static byte[] create(PrivateKey identity, byte[] staticPublic, List<String> muxers) {
    ProtoWriter w = new ProtoWriter()
        .bytes(1, identity.publicKey().toProtobuf())
        .bytes(2, identity.sign(concat(SIG_PREFIX, staticPublic)));
    if (!muxers.isEmpty()) {
      ProtoWriter ext = new ProtoWriter();
      muxers.forEach(m -> ext.string(2, m));
      w.bytes(4, ext.toByteArray());
    }
    return w.toByteArray();
  }

  /**
   * Decodes and verifies a remote payload against the remote static key; checks the peer ID
   * against {@code expected} when it is not null.
   */
  public static Verified verify(byte[] payload, byte[] remoteStatic, PeerId expected) throws Libp2pException {
    byte[] key = null;
    byte[] sig = null;
    List<String> muxers = new ArrayList<>();
    try {
      ProtoReader r = new ProtoReader(payload, MAX_PAYLOAD);
      while (r.next()) {
        switch (r.field()) {
          case 1 -> key = r.bytes();
          case 2 -> sig = r.bytes();
          case 4 -> {
            ProtoReader ext = new ProtoReader(r.bytes(), MAX_PAYLOAD);
            while (ext.next()) {
              if (ext.field() == 2 && muxers.size() < MAX_MUXERS) {
                muxers.add(ext.string());
              } else {
                ext.skip();
              }
            }
          }
          default -> r.skip();
        }
      }
    } catch (IllegalArgumentException e) {
      throw new Libp2pException("malformed noise handshake payload: " + e.getMessage(), e);
    }
    if (key == null || sig == null) {
      throw new Libp2pException("noise handshake payload lacks identity key or signature");
    }
    PublicKey publicKey;
    try {
      publicKey = PublicKey.fromProtobuf(key);
    } catch (IllegalArgumentException e) {
      throw new Libp2pException("noise identity key invalid: " + e.getMessage(), e);
    }
    if (!publicKey.verifyCached(concat(SIG_PREFIX, remoteStatic), sig)) {
      throw new Libp2pException("noise identity signature does not verify");
    }
    PeerId peerId = publicKey.toPeerId();
    if (expected != null && !expected.equals(peerId)) {
      throw new PeerIdMismatchException("remote peer ID " + peerId + " does not match the dialed " + expected);
    }
    return new Verified(peerId, publicKey, List.copyOf(muxers));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
