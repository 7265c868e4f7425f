package io.gossipnet.p2p;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bare libp2p host that speaks the gossip stream by hand, for tests that break its rules: its
 * peer ID sorts lower than the node's, so it is the one that opens streams, and it dials the
 * node, so it writes its metadata first.
 */
final class RawGossipPeer implements AutoCloseable {
  private final Host host;
  private final Connection connection;
  private final String genesis;

  private RawGossipPeer(Host host, Connection connection, String genesis) {
    this.host = host;
    this.connection = connection;
    this.genesis = genesis;
  }

  /** Two keys: [0] sorts lower than [1]. The node takes [1], the raw peer [0]. */
  static PrivateKey[] orderedKeys() {
    PrivateKey a = PrivateKey.generate();
    PrivateKey b = PrivateKey.generate();
    return a.publicKey().toPeerId().compareTo(b.publicKey().toPeerId()) < 0 ? new PrivateKey[] {a, b} : new PrivateKey[] {b, a};
  }

  /** Dials the node at {@code nodeAddress} with {@code key}, which must sort below the node's. */
  static RawGossipPeer dial(PrivateKey key, String nodeAddress, String genesis) throws Exception {
    Host h = Host.builder().identity(key).build().start();
    try {
      Connection c = h.dial(Multiaddr.fromString(nodeAddress)).get(10, TimeUnit.SECONDS);
      return new RawGossipPeer(h, c, genesis);
    } catch (Exception e) {
      h.close();
      throw e;
    }
  }

  /** The connection to the node. */
  Connection connection() {
    return connection;
  }

  /** Opens a gossip stream and runs the exchange as the connection's dialer. */
  Stream openGossipStream() throws Exception {
    Stream s = connection.newStream(List.of(P2PTransport.GOSSIP_V22)).get(10, TimeUnit.SECONDS);
    MetadataExchange.outgoing(s.in(), s.out(),
        new MetadataExchange.Local("", "", genesis, List.of(), MetadataExchange.PROTOCOL_VERSION, MetadataExchange.SUPPORTED_VERSIONS));
    return s;
  }

  /** Sends one AV message with {@code text} as its payload. */
  static void sendAv(Stream s, String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] msg = new byte[2 + payload.length];
    msg[0] = 'A';
    msg[1] = 'V';
    System.arraycopy(payload, 0, msg, 2, payload.length);
    MessageFrames.write(s.out(), msg);
    s.out().flush();
  }

  /** Whether the stream has ended (end of input, or reset). */
  static boolean ended(InputStream in) {
    try {
      return in.read() < 0;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    host.close();
  }
}
