package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.host.Host;
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
    this(newHost(), config);
  }

  /** A router on a host started earlier (to know its address before the router's configuration). */
  JavaNode(Host host, GossipSubConfig config) {
    this.host = host;
    gs = GossipSub.start(host, config);
  }

  /** A host listening on a free loopback port. */
  static Host newHost() throws Exception {
    return Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
  }

  /** Whether the host has an open connection to {@code peer}. */
  boolean connectedTo(PeerId peer) {
    return host.connections(peer).stream().anyMatch(c -> c.isOpen());
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
