package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.encoding.Varint;
import io.gossipnet.libp2p.internal.wire.ProtoReader;
import io.gossipnet.libp2p.internal.wire.ProtoWriter;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.util.ArrayList;
import java.util.List;

/**
 * The DHT message {@code Message{type=1, key=2, record=3, closer=8, providers=9, clusterLevel=10}}
 * with {@code Peer{id=1, addrs=2, connection=3}}. Peers or addresses that do not parse are
 * dropped from the lists (a peer with a garbage address keeps its good ones).
 */
record KadMessage(Type type, byte[] key, byte[] record, List<KadPeer> closer, List<KadPeer> providers) {
  /** At most this many peers per list and addresses per peer are decoded. */
  static final int MAX_PEERS = 64;
  static final int MAX_ADDRS = 16;
  /** Largest provider key accepted (as go-libp2p-kad-dht). */
  static final int MAX_PROVIDER_KEY = 80;

  enum Type {
    PUT_VALUE, GET_VALUE, ADD_PROVIDER, GET_PROVIDERS, FIND_NODE, PING;

    static Type of(long v) {
      if (v < 0 || v >= values().length) {
        throw new IllegalArgumentException("unknown DHT message type " + v);
      }
      return values()[(int) v];
    }
  }

  static KadMessage request(Type type, byte[] key) {
    return new KadMessage(type, key, null, List.of(), List.of());
  }

  /**
   * True if {@code key} is a well-formed multihash ({@code <varint code><varint length><digest>},
   * the digest exactly {@code length} bytes) of at most {@link #MAX_PROVIDER_KEY} bytes: the keys
   * of provider records.
   */
  static boolean isProviderKey(byte[] key) {
    if (key == null || key.length < 2 || key.length > MAX_PROVIDER_KEY) {
      return false;
    }
    try {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(key);
      Varint.read(b); // hash function code
      long len = Varint.read(b);
      return len == b.remaining();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * This message with at most {@link #MAX_PEERS} peers per list, and with peers dropped from the
   * end of the provider list, then of the closer list, until it encodes to at most
   * {@code maxBytes}: a reply we send is one our own decoder (and a peer's size check) accepts.
   */
  KadMessage fitTo(int maxBytes) {
    List<KadPeer> c = new ArrayList<>(closer.subList(0, Math.min(closer.size(), MAX_PEERS)));
    List<KadPeer> p = new ArrayList<>(providers.subList(0, Math.min(providers.size(), MAX_PEERS)));
    KadMessage m = new KadMessage(type, key, record, c, p);
    int size = m.encode().length;
    while (size > maxBytes && (!p.isEmpty() || !c.isEmpty())) {
      KadPeer dropped = p.isEmpty() ? c.removeLast() : p.removeLast();
      size -= peerFieldSize(dropped);
    }
    return new KadMessage(type, key, record, List.copyOf(c), List.copyOf(p));
  }

  private static int peerFieldSize(KadPeer p) {
    int n = encodePeer(p).length;
    return 1 + Varint.size(n) + n;
  }

  byte[] encode() {
    ProtoWriter w = new ProtoWriter();
    if (type.ordinal() != 0) {
      w.varint(1, type.ordinal());
    }
    if (key != null) {
      w.bytes(2, key);
    }
    if (record != null) {
      w.bytes(3, record);
    }
    for (KadPeer p : closer) {
      w.bytes(8, encodePeer(p));
    }
    for (KadPeer p : providers) {
      w.bytes(9, encodePeer(p));
    }
    return w.toByteArray();
  }

  private static byte[] encodePeer(KadPeer p) {
    ProtoWriter w = new ProtoWriter().bytes(1, p.id().toBytes());
    for (Multiaddr a : p.addresses()) {
      w.bytes(2, a.toBytes());
    }
    return w.toByteArray();
  }

  /** Decodes one message of at most {@code maxSize} bytes; throws IllegalArgumentException if malformed. */
  static KadMessage decode(byte[] bytes, int maxSize) {
    ProtoReader r = new ProtoReader(bytes, maxSize);
    Type type = Type.PUT_VALUE;
    byte[] key = null;
    byte[] record = null;
    List<KadPeer> closer = new ArrayList<>();
    List<KadPeer> providers = new ArrayList<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> type = Type.of(r.varint());
        case 2 -> key = r.bytes();
        case 3 -> record = r.bytes();
        case 8 -> addPeer(closer, r.bytes());
        case 9 -> addPeer(providers, r.bytes());
        default -> r.skip();
      }
    }
    return new KadMessage(type, key, record, closer, providers);
  }

  private static void addPeer(List<KadPeer> into, byte[] b) {
    if (into.size() >= MAX_PEERS) {
      throw new IllegalArgumentException("more than " + MAX_PEERS + " peers in a DHT message");
    }
    ProtoReader r = new ProtoReader(b, b.length);
    PeerId id = null;
    List<Multiaddr> addrs = new ArrayList<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> id = PeerId.fromBytes(r.bytes());
        case 2 -> {
          byte[] a = r.bytes();
          if (addrs.size() < MAX_ADDRS) {
            try {
              addrs.add(Multiaddr.fromBytes(a));
            } catch (IllegalArgumentException e) {
              // an address we do not understand (e.g. a transport we lack): skip it
            }
          }
        }
        default -> r.skip();
      }
    }
    if (id == null) {
      throw new IllegalArgumentException("DHT peer without id");
    }
    into.add(new KadPeer(id, addrs));
  }
}
