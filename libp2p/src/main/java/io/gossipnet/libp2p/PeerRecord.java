package io.gossipnet.libp2p;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.crypto.PublicKey;
import io.gossipnet.libp2p.encoding.Varint;
import io.gossipnet.libp2p.internal.wire.ProtoReader;
import io.gossipnet.libp2p.internal.wire.ProtoWriter;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A libp2p peer record ({@code PeerRecord{peer_id=1, seq=2, addresses=3}}) carried in a signed
 * envelope ({@code Envelope{public_key=1, payload_type=2, payload=3, signature=5}}), signed over
 * the domain {@code libp2p-peer-record} and payload type {@code 0x0301}.
 *
 * @param peerId the peer the record describes
 * @param seq the record's sequence number
 * @param addresses the peer's addresses
 */
public record PeerRecord(PeerId peerId, long seq, List<Multiaddr> addresses) {
  private static final byte[] DOMAIN = "libp2p-peer-record".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PAYLOAD_TYPE = {0x03, 0x01};
  private static final int MAX_ENVELOPE = 8192;
  private static final int MAX_ADDRESSES = 64;

  /** Copies the list. */
  public PeerRecord {
    addresses = List.copyOf(addresses);
  }

  /** The signed envelope of this record. */
  public byte[] sign(PrivateKey key) {
    ProtoWriter rec = new ProtoWriter().bytes(1, peerId.toBytes()).varint(2, seq);
    addresses.forEach(a -> rec.bytes(3, new ProtoWriter().bytes(1, a.toBytes()).toByteArray()));
    byte[] payload = rec.toByteArray();
    byte[] sig = key.sign(signedBytes(payload));
    return new ProtoWriter().bytes(1, key.publicKey().toProtobuf()).bytes(2, PAYLOAD_TYPE)
        .bytes(3, payload).bytes(5, sig).toByteArray();
  }

  /**
   * Decodes and checks a signed envelope: signature, payload type, and that the signer and the
   * record both name {@code expected}.
   */
  public static PeerRecord verify(byte[] envelope, PeerId expected) throws Libp2pException {
    try {
      byte[] key = null;
      byte[] type = null;
      byte[] payload = null;
      byte[] sig = null;
      ProtoReader r = new ProtoReader(envelope, MAX_ENVELOPE);
      while (r.next()) {
        switch (r.field()) {
          case 1 -> key = r.bytes();
          case 2 -> type = r.bytes();
          case 3 -> payload = r.bytes();
          case 5 -> sig = r.bytes();
          default -> r.skip();
        }
      }
      if (key == null || type == null || payload == null || sig == null) {
        throw new Libp2pException("signed peer record envelope is incomplete");
      }
      if (!Arrays.equals(type, PAYLOAD_TYPE)) {
        throw new Libp2pException("signed envelope is not a peer record");
      }
      PublicKey pub = PublicKey.fromProtobuf(key);
      if (!pub.toPeerId().equals(expected)) {
        throw new Libp2pException("signed peer record is signed by " + pub.toPeerId() + ", not " + expected);
      }
      if (!pub.verifyCached(signedBytes(payload), sig)) {
        throw new Libp2pException("signed peer record signature does not verify");
      }
      PeerId id = null;
      long seq = 0;
      List<Multiaddr> addrs = new ArrayList<>();
      ProtoReader p = new ProtoReader(payload, MAX_ENVELOPE);
      while (p.next()) {
        switch (p.field()) {
          case 1 -> id = PeerId.fromBytes(p.bytes());
          case 2 -> seq = p.varint();
          case 3 -> {
            ProtoReader a = new ProtoReader(p.bytes(), MAX_ENVELOPE);
            while (a.next()) {
              if (a.field() == 1 && addrs.size() < MAX_ADDRESSES) {
                try {
                  addrs.add(Multiaddr.fromBytes(a.bytes()));
                } catch (IllegalArgumentException unsupported) {
                  // an address of a protocol we do not know; keep the rest
                }
              } else {
                a.skip();
              }
            }
          }
          default -> p.skip();
        }
      }
      if (!expected.equals(id)) {
        throw new Libp2pException("signed peer record describes " + id + ", not " + expected);
      }
      return new PeerRecord(id, seq, addrs);
    } catch (IllegalArgumentException e) {
      throw new Libp2pException("malformed signed peer record: " + e.getMessage(), e);
    }
  }

  private static byte[] signedBytes(byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : new byte[][] {DOMAIN, PAYLOAD_TYPE, payload}) {
      Varint.write(out, part.length);
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
