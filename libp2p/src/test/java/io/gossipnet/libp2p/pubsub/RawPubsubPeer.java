package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.encoding.Varint;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven pubsub peer for tests: it writes whatever RPC bytes a test gives it on its own
 * stream, and records the RPCs the router under test sends it (or, when {@code reads} is false,
 * never reads them, like a stalled peer).
 */
final class RawPubsubPeer implements AutoCloseable {
  final Host host;
  final List<Rpc> received = new CopyOnWriteArrayList<>();
  private Stream out;

  RawPubsubPeer(String protocol, boolean reads) throws Exception {
    host = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
    host.setStreamHandler(protocol, s -> {
      if (!reads) {
        Thread.sleep(Long.MAX_VALUE);
      }
      InputStream in = s.in();
      while (true) {
        long len = Varint.read(in);
        if (len < 0) {
          return;
        }
        received.add(Rpc.decode(in.readNBytes((int) len), 1 << 22,
            new RpcLimits(100000, 100000, 100000, 100000, 100000, 100000)));
      }
    });
  }

  /** Dials {@code target} and opens our stream with {@code protocol}. */
  void connect(Multiaddr target, String protocol) throws Exception {
    out = host.dial(target).get(10, TimeUnit.SECONDS).newStream(protocol).get(10, TimeUnit.SECONDS);
  }

  void send(Rpc rpc) throws IOException {
    sendRaw(rpc.encode());
  }

  /** Writes one length-prefixed frame. */
  void sendRaw(byte[] body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Varint.write(b, body.length);
    b.writeBytes(body);
    out.out().write(b.toByteArray());
    out.out().flush();
  }

  /** Writes bytes as they are (no length prefix). */
  void sendBytes(byte[] bytes) throws IOException {
    out.out().write(bytes);
    out.out().flush();
  }

  Stream stream() {
    return out;
  }

  static Rpc subscribe(String topic) {
    Rpc r = Rpc.empty();
    r.subscriptions().add(new Rpc.Subscription(true, topic));
    return r;
  }

  /** A message signed by {@code author} exactly as js signs (StrictSign). */
  static Rpc.WireMessage signed(PrivateKey author, String topic, String data, long seqno) {
    byte[] from = author.peerId().toBytes();
    byte[] sn = ByteBuffer.allocate(8).putLong(seqno).array();
    byte[] d = data.getBytes(StandardCharsets.UTF_8);
    Rpc.WireMessage unsigned = new Rpc.WireMessage(from, d, sn, topic, null, null);
    byte[] prefix = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);
    byte[] body = unsigned.signedBytes();
    byte[] toSign = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, toSign, 0, prefix.length);
    System.arraycopy(body, 0, toSign, prefix.length, body.length);
    return new Rpc.WireMessage(from, d, sn, topic, author.sign(toSign), author.publicKey().toProtobuf());
  }

  static Rpc messages(Rpc.WireMessage... ms) {
    Rpc r = Rpc.empty();
    r.messages().addAll(List.of(ms));
    return r;
  }

  @Override
  public void close() {
    host.close();
  }
}
