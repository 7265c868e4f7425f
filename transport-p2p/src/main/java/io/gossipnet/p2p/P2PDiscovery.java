package io.gossipnet.p2p;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.kad.Capabilities;
import io.gossipnet.libp2p.kad.KadConfig;
import io.gossipnet.libp2p.kad.KadDht;
import io.gossipnet.libp2p.kad.KadPeer;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Peer discovery over the Kademlia DHT, as the seed runs it with {@code EnableDHTProviders}
 * (inventory 7.6): the DHT under {@code /algorand/kad/<networkId>} (values off, provider records
 * on), server or client mode, the node's persistent relay peers as bootstrap peers, and the
 * node's capabilities ({@value #GOSSIP}, {@value #ARCHIVAL}, {@value #CATCHPOINT_STORING})
 * advertised only when it listens: at once, then again after at most 22 h, failed rounds retried
 * with jitter from 1 s to 100 s. Each mesh pass asks it for relays ({@link #gossipPeers}) and
 * archival peers ({@link #archivalPeers}).
 */
public final class P2PDiscovery implements AutoCloseable {
  /** The capability of a node that serves gossip streams. */
  public static final String GOSSIP = "gossip";
  /** The capability of a node that keeps all history. */
  public static final String ARCHIVAL = "archival";
  /** The capability of a node that stores catchpoints. */
  public static final String CATCHPOINT_STORING = "catchpointStoring";
  /** Archival peers asked for each mesh pass (the seed's 4). */
  public static final int ARCHIVAL_PEERS = 4;

  private final KadDht dht;
  private final Capabilities capabilities;
  private final List<String> advertising;

  private P2PDiscovery(KadDht dht, Capabilities capabilities, List<String> advertising) {
    this.dht = dht;
    this.capabilities = capabilities;
    this.advertising = advertising;
  }

  /**
   * Starts the DHT on a started host and begins advertising.
   *
   * @param host the node's host, listening if it will
   * @param config the network settings (genesis ID, relay peers, gossip service)
   * @param p2p the P2P settings (DHT mode, network ID, archival and catchpoint capabilities)
   * @param listening whether the node accepts incoming connections
   */
  static P2PDiscovery start(Host host, NetworkConfig config, P2PConfig p2p, boolean listening) {
    boolean server =
        switch (p2p.dhtMode()) {
          case SERVER -> true;
          case CLIENT -> false;
          case AUTO -> listening;
        };
    String network = p2p.networkId().isEmpty() ? config.genesisId() : p2p.networkId();
    KadConfig kad = KadConfig.algorand(network, server).withBootstrap(bootstrapPeers(config.relayPeers()));
    KadDht dht = KadDht.start(host, kad);
    Capabilities caps = new Capabilities(dht, host.peerId());
    List<String> advertising = new ArrayList<>();
    if (listening) {
      if (p2p.archival()) {
        advertising.add(ARCHIVAL);
      }
      if (p2p.catchpointStoring()) {
        advertising.add(CATCHPOINT_STORING);
      }
      if (config.enableGossipService()) {
        advertising.add(GOSSIP);
      }
      caps.advertise(advertising.toArray(String[]::new));
    }
    return new P2PDiscovery(dht, caps, List.copyOf(advertising));
  }

  /** The relay peers of the phonebook that are {@code /p2p/} multiaddrs (others are not for us). */
  private static List<Multiaddr> bootstrapPeers(List<String> relays) {
    List<Multiaddr> out = new ArrayList<>();
    for (String r : relays) {
      try {
        Multiaddr m = Multiaddr.fromString(r.trim());
        if (m.peerId().isPresent()) {
          out.add(m);
        }
      } catch (RuntimeException e) {
        // a WS address in a shared list, or a typo the mesh reports when it dials
      }
    }
    return out;
  }

  /** The capabilities this node advertises (none when it does not listen). */
  public List<String> advertising() {
    return advertising;
  }

  /** The capabilities advertised so far, with the number of peers the last round reached. */
  public Map<String, Integer> advertised() {
    return capabilities.advertised();
  }

  /** The DHT, for its metrics and routing table. */
  public KadDht dht() {
    return dht;
  }

  /**
   * Up to {@code n} relays that advertise {@value #GOSSIP} (the seed's {@code
   * PeersForCapability(gossip, GossipFanout)}), as {@code /.../p2p/<id>} addresses; blocks for at
   * most the 5 s lookup timeout.
   */
  public List<String> gossipPeers(int n) {
    return addresses(capabilities.peersForCapability(GOSSIP, n));
  }

  /** Up to {@value #ARCHIVAL_PEERS} peers that advertise {@value #ARCHIVAL}, as addresses. */
  public List<String> archivalPeers() {
    return addresses(capabilities.peersForCapability(ARCHIVAL, ARCHIVAL_PEERS));
  }

  /** One dialable address per peer: its first TCP address that names a host, with its peer ID. */
  static List<String> addresses(List<KadPeer> peers) {
    Set<String> out = new LinkedHashSet<>();
    for (KadPeer p : peers) {
      for (Multiaddr a : p.addresses()) {
        try {
          if (a.withoutPeerId().toTcpSocketAddress().getAddress().isAnyLocalAddress()) {
            continue; // 0.0.0.0: where it listens, not where it is reached
          }
        } catch (RuntimeException e) {
          continue; // not TCP (e.g. a relay circuit, or a DNS name we do not resolve here)
        }
        out.add(a.withoutPeerId().withPeerId(p.id()).toString());
        break;
      }
    }
    return List.copyOf(out);
  }

  @Override
  public void close() {
    capabilities.close();
    dht.close();
  }
}
