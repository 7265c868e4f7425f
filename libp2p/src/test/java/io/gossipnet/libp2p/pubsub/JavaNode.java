package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.Host;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test host with a router and the messages it delivered. */
final class JavaNode implements AutoCloseable {
  final Host host;
  final GossipSub gs;
  final List<PubsubMessage> received = new CopyOnWriteArrayList<>();

  JavaNode(GossipSubConfig config) throws Exception {
    host = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
    gs = GossipSub.start(host, config);
  }

  void onMessage(PubsubMessage m) {
    received.add(m);
  }

  /** Delivered payloads as text. */
  List<String> texts() {
    return received.stream().map(m -> new String(m.data(), StandardCharsets.UTF_8)).toList();
  }

  Multiaddr address() {
    return host.listenAddresses().get(0).withPeerId(host.peerId());
  }

  PeerId peerId() {
    return host.peerId();
  }

  @Override
  public void close() {
    gs.close();
    host.close();
  }
}
