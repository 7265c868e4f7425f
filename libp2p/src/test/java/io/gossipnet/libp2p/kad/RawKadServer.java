package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.encoding.Varint;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A DHT server the test controls: a bare host serving the Kad protocol (so identify lists it and
 * peers admit it) that answers every request with what {@link #respond} returns, and records who
 * asked what. Used as a sybil or a misbehaving peer.
 */
final class RawKadServer implements AutoCloseable {
  /** One request received. */
  record Request(PeerId from, KadMessage message) {}

  /** What to do with one request on one stream. */
  @FunctionalInterface
  interface Handler {
    void handle(Stream s, KadMessage request) throws IOException;
  }

  final Host host;
  final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Handler handler = (s, m) -> { };

  RawKadServer(PrivateKey identity, String protocol) throws Exception {
    host = Host.builder().identity(identity).listen("/ip4/127.0.0.1/tcp/0").build().start();
    host.setStreamHandler(protocol, this::serve);
  }

  /** Answers each request with {@code reply.apply(request)} (null: no answer). */
  RawKadServer respond(Function<KadMessage, KadMessage> reply) {
    handler = (s, m) -> {
      KadMessage r = reply.apply(m);
      if (r != null) {
        write(s, r.encode());
      }
    };
    return this;
  }

  /** Handles each request with {@code h}, e.g. to send a bad reply. */
  RawKadServer handle(Handler h) {
    handler = h;
    return this;
  }

  Multiaddr address() {
    return host.listenAddresses().get(0).withPeerId(host.peerId());
  }

  KadPeer asPeer() {
    return new KadPeer(host.peerId(), host.listenAddresses());
  }

  long requestsFrom(PeerId from, KadMessage.Type type) {
    return requests.stream().filter(r -> r.from().equals(from) && r.message().type() == type).count();
  }

  static void write(Stream s, byte[] body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Varint.write(b, body.length);
    b.writeBytes(body);
    s.out().write(b.toByteArray());
    s.out().flush();
  }

  private void serve(Stream s) throws IOException {
    while (true) {
      long len = Varint.read(s.in());
      if (len < 0 || len > 1 << 16) {
        return;
      }
      KadMessage m = KadMessage.decode(s.in().readNBytes((int) len), 1 << 16);
      requests.add(new Request(s.connection().remotePeerId(), m));
      handler.handle(s, m);
    }
  }

  @Override
  public void close() {
    host.close();
  }
}
