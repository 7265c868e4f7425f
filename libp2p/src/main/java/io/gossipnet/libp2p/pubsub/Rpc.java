package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.internal.wire.ProtoReader;
import io.gossipnet.libp2p.internal.wire.ProtoWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The pubsub RPC protobuf ({@code RPC}, {@code Message}, {@code ControlMessage}) with a decoder
 * that enforces per-RPC element limits while it parses, so a hostile peer cannot make us build
 * huge lists: the byte size is bounded by the frame limit, the counts by {@link RpcLimits}. A
 * PRUNE's peer exchange list ({@code PeerInfo}) is counted against {@link RpcLimits#maxPxPeers()}
 * entry by entry, and each peer ID and signed record is size-checked.
 */
record Rpc(List<Subscription> subscriptions, List<WireMessage> messages, Control control) {
  /** Largest signed peer record accepted in a PX entry (as {@code PeerRecord} accepts). */
  static final int MAX_SIGNED_PEER_RECORD = 8192;

  record Subscription(boolean subscribe, String topic) {}

  /** A message as on the wire; absent optional fields are {@code null}. */
  record WireMessage(byte[] from, byte[] data, byte[] seqno, String topic, byte[] signature, byte[] key) {
    /** The canonical encoding of fields 1-4 that signatures cover (js re-encodes exactly this). */
    byte[] signedBytes() {
      ProtoWriter w = new ProtoWriter();
      if (from != null) {
        w.bytes(1, from);
      }
      if (data != null) {
        w.bytes(2, data);
      }
      if (seqno != null) {
        w.bytes(3, seqno);
      }
      if (topic != null && !topic.isEmpty()) {
        w.string(4, topic);
      }
      return w.toByteArray();
    }

    byte[] encode() {
      ProtoWriter w = new ProtoWriter();
      if (from != null) {
        w.bytes(1, from);
      }
      if (data != null) {
        w.bytes(2, data);
      }
      if (seqno != null) {
        w.bytes(3, seqno);
      }
      if (topic != null && !topic.isEmpty()) {
        w.string(4, topic);
      }
      if (signature != null) {
        w.bytes(5, signature);
      }
      if (key != null) {
        w.bytes(6, key);
      }
      return w.toByteArray();
    }
  }

  record IHave(String topic, List<byte[]> ids) {}

  /**
   * One peer offered by peer exchange in a PRUNE ({@code PeerInfo{peerID=1, signedPeerRecord=2}}).
   * Both fields are as received: the router parses the peer ID and verifies the record.
   */
  record PeerInfo(byte[] peerId, byte[] signedPeerRecord) {}

  /** A PRUNE: the topic, the backoff in seconds (0: absent) and the peers offered by PX. */
  record Prune(String topic, long backoffSeconds, List<PeerInfo> peers) {
    Prune {
      peers = List.copyOf(peers);
    }

    /** A PRUNE without peer exchange. */
    Prune(String topic, long backoffSeconds) {
      this(topic, backoffSeconds, List.of());
    }
  }

  record Control(List<IHave> ihave, List<byte[]> iwant, List<String> graft, List<Prune> prune, List<byte[]> idontwant) {
    static Control empty() {
      return new Control(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    boolean isEmpty() {
      return ihave.isEmpty() && iwant.isEmpty() && graft.isEmpty() && prune.isEmpty() && idontwant.isEmpty();
    }
  }

  static Rpc empty() {
    return new Rpc(new ArrayList<>(), new ArrayList<>(), Control.empty());
  }

  boolean isEmpty() {
    return subscriptions.isEmpty() && messages.isEmpty() && control.isEmpty();
  }

  byte[] encode() {
    ProtoWriter w = new ProtoWriter();
    for (Subscription s : subscriptions) {
      w.bytes(1, new ProtoWriter().varint(1, s.subscribe() ? 1 : 0).string(2, s.topic()).toByteArray());
    }
    for (WireMessage m : messages) {
      w.bytes(2, m.encode());
    }
    if (!control.isEmpty()) {
      ProtoWriter c = new ProtoWriter();
      for (IHave ih : control.ihave()) {
        ProtoWriter x = new ProtoWriter().string(1, ih.topic());
        ih.ids().forEach(id -> x.bytes(2, id));
        c.bytes(1, x.toByteArray());
      }
      if (!control.iwant().isEmpty()) {
        ProtoWriter x = new ProtoWriter();
        control.iwant().forEach(id -> x.bytes(1, id));
        c.bytes(2, x.toByteArray());
      }
      for (String g : control.graft()) {
        c.bytes(3, new ProtoWriter().string(1, g).toByteArray());
      }
      for (Prune p : control.prune()) {
        ProtoWriter x = new ProtoWriter().string(1, p.topic());
        for (PeerInfo pi : p.peers()) {
          ProtoWriter y = new ProtoWriter();
          if (pi.peerId() != null) {
            y.bytes(1, pi.peerId());
          }
          if (pi.signedPeerRecord() != null) {
            y.bytes(2, pi.signedPeerRecord());
          }
          x.bytes(2, y.toByteArray());
        }
        if (p.backoffSeconds() > 0) {
          x.varint(3, p.backoffSeconds());
        }
        c.bytes(4, x.toByteArray());
      }
      if (!control.idontwant().isEmpty()) {
        ProtoWriter x = new ProtoWriter();
        control.idontwant().forEach(id -> x.bytes(1, id));
        c.bytes(5, x.toByteArray());
      }
      w.bytes(3, c.toByteArray());
    }
    return w.toByteArray();
  }

  /**
   * Decodes one RPC of at most {@code maxSize} bytes.
   *
   * @throws IllegalArgumentException when it is malformed or exceeds a limit
   */
  static Rpc decode(byte[] bytes, int maxSize, RpcLimits limits) {
    Rpc rpc = empty();
    ProtoReader r = new ProtoReader(bytes, maxSize);
    while (r.next()) {
      switch (r.field()) {
        case 1 -> {
          check(rpc.subscriptions.size() < limits.maxSubscriptions(), "too many subscriptions");
          rpc.subscriptions.add(decodeSubscription(r.bytes()));
        }
        case 2 -> {
          check(rpc.messages.size() < limits.maxMessages(), "too many messages");
          rpc.messages.add(decodeMessage(r.bytes()));
        }
        case 3 -> decodeControl(r.bytes(), rpc.control, limits);
        default -> r.skip();
      }
    }
    return rpc;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException(what);
    }
  }

  private static Subscription decodeSubscription(byte[] b) {
    ProtoReader r = new ProtoReader(b, b.length);
    boolean sub = false;
    String topic = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> sub = r.varint() != 0;
        case 2 -> topic = r.string();
        default -> r.skip();
      }
    }
    check(topic != null, "subscription without topic");
    return new Subscription(sub, topic);
  }

  private static WireMessage decodeMessage(byte[] b) {
    ProtoReader r = new ProtoReader(b, b.length);
    byte[] from = null;
    byte[] data = null;
    byte[] seqno = null;
    String topic = "";
    byte[] sig = null;
    byte[] key = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> from = r.bytes();
        case 2 -> data = r.bytes();
        case 3 -> seqno = r.bytes();
        case 4 -> topic = r.string();
        case 5 -> sig = r.bytes();
        case 6 -> key = r.bytes();
        default -> r.skip();
      }
    }
    return new WireMessage(from, data, seqno, topic, sig, key);
  }

  private static void decodeControl(byte[] b, Control c, RpcLimits limits) {
    ProtoReader r = new ProtoReader(b, b.length);
    int ihaveIds = c.ihave().stream().mapToInt(i -> i.ids().size()).sum();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> {
          // an IHAVE counts against the ID limit even without IDs (a valid one has at least one),
          // so a frame of empty IHAVEs cannot decode to hundreds of thousands of entries
          check(c.ihave().size() < limits.maxIHaveIds(), "too many IHAVEs");
          ProtoReader x = new ProtoReader(r.bytes(), Integer.MAX_VALUE);
          String topic = "";
          List<byte[]> ids = new ArrayList<>();
          while (x.next()) {
            if (x.field() == 1) {
              topic = x.string();
            } else if (x.field() == 2) {
              check(++ihaveIds <= limits.maxIHaveIds(), "too many IHAVE message IDs");
              ids.add(x.bytes());
            } else {
              x.skip();
            }
          }
          c.ihave().add(new IHave(topic, ids));
        }
        case 2 -> readIds(r.bytes(), c.iwant(), limits.maxIWantIds(), "IWANT");
        case 3 -> {
          ProtoReader x = new ProtoReader(r.bytes(), Integer.MAX_VALUE);
          String topic = "";
          while (x.next()) {
            if (x.field() == 1) {
              topic = x.string();
            } else {
              x.skip();
            }
          }
          check(c.graft().size() < limits.maxSubscriptions(), "too many GRAFTs");
          c.graft().add(topic);
        }
        case 4 -> {
          ProtoReader x = new ProtoReader(r.bytes(), Integer.MAX_VALUE);
          String topic = "";
          long backoff = 0;
          List<PeerInfo> peers = new ArrayList<>();
          while (x.next()) {
            switch (x.field()) {
              case 1 -> topic = x.string();
              case 2 -> {
                // counted before the entry is copied out, so a long list fails at limit + 1
                check(peers.size() < limits.maxPxPeers(), "too many PX peers in a PRUNE");
                peers.add(decodePeerInfo(x.bytes()));
              }
              case 3 -> backoff = x.varint();
              default -> x.skip();
            }
          }
          check(c.prune().size() < limits.maxPruneMessages(), "too many PRUNEs");
          c.prune().add(new Prune(topic, backoff, peers));
        }
        case 5 -> readIds(r.bytes(), c.idontwant(), limits.maxIDontWantIds(), "IDONTWANT");
        default -> r.skip();
      }
    }
  }

  private static PeerInfo decodePeerInfo(byte[] b) {
    ProtoReader r = new ProtoReader(b, b.length);
    byte[] id = null;
    byte[] record = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> id = r.bytes();
        case 2 -> record = r.bytes();
        default -> r.skip();
      }
    }
    check(id != null && id.length > 0 && id.length <= PeerId.MAX_BYTES, "PX peer ID missing or too long");
    check(record == null || record.length <= MAX_SIGNED_PEER_RECORD, "PX signed peer record too long");
    return new PeerInfo(id, record);
  }

  private static void readIds(byte[] b, List<byte[]> into, int max, String what) {
    ProtoReader x = new ProtoReader(b, b.length);
    while (x.next()) {
      if (x.field() == 1) {
        check(into.size() < max, "too many " + what + " message IDs");
        into.add(x.bytes());
      } else {
        x.skip();
      }
    }
  }
}
