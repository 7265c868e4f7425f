package io.gossipnet.p2p;

import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.Peer;
import io.gossipnet.core.PeerConnectionInfo;
import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.core.identity.IdentityTracker;
import io.gossipnet.core.mesh.JitterBackoff;
import io.gossipnet.core.phonebook.Role;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.pubsub.GossipSub;
import io.gossipnet.libp2p.pubsub.PubsubMessage;
import io.gossipnet.libp2p.pubsub.ValidationResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;

/**
 * The gossip network over libp2p: the core {@link NetworkEngine} over a {@link P2PTransport}, with
 * the seed's P2P differences (inventory 7.3): no message-of-interest sent, no slow-writer or idle
 * checks, no identity challenge; a peer's identity is the Ed25519 key inside its peer ID, and the
 * mesher backs off with jitter while passes find no peer.
 *
 * <pre>{@code
 * P2PNetwork net = new P2PNetwork(NetworkConfig.builder("mainnet").listenAddress("0.0.0.0:4190")
 *     .relayPeers(List.of("/ip4/10.0.0.2/tcp/4190/p2p/12D3Koo...")).build(),
 *     P2PConfig.builder().privateKey(PeerKeyFile.obtain(null, dataDir, true)).build(),
 *     new SimpleMeterRegistry());
 * net.start();
 * }</pre>
 */
public class P2PNetwork extends NetworkEngine {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(P2PNetwork.class);
  private final P2PTransport transport;
  private volatile GossipSub gossipSub;
  private volatile P2PDiscovery discovery;
  private volatile java.util.function.BooleanSupplier participating = () -> false;
  private boolean subscribed;
  private volatile java.util.function.BiConsumer<byte[], Peer> txBridge;
  private final io.micrometer.core.instrument.Counter duplicateTx;

  /** A network with a fresh key and its own meter registry. */
  public P2PNetwork(NetworkConfig config) {
    this(config, P2PConfig.defaults(), new SimpleMeterRegistry());
  }

  /** A network with these settings. */
  public P2PNetwork(NetworkConfig config, P2PConfig p2p, MeterRegistry registry) {
    this(builder(config, p2p).meterRegistry(registry));
  }

  /**
   * A network from the engine's builder (a hybrid node shares its identity tracker, duplicate
   * filter and HTTP router through it).
   *
   * @param pieces a builder made over a {@link P2PTransport}, as {@link #builder} makes it
   * @throws IllegalArgumentException if the builder's transport is not a {@link P2PTransport}
   */
  public P2PNetwork(NetworkEngine.Builder pieces) {
    super(pieces);
    if (!(super.transport() instanceof P2PTransport p)) {
      throw new IllegalArgumentException("a P2PNetwork runs over a P2PTransport, not " + super.transport().getClass().getName());
    }
    this.transport = p;
    this.duplicateTx = io.micrometer.core.instrument.Counter.builder("gossipnet.p2p.tx.duplicate")
        .tag("network", metrics().network())
        .description("TX from GossipSub already seen by the node's incoming duplicate filter")
        .register(metrics().registry());
    int fanout = config().gossipFanout();
    p.onHostBuilt(host -> {
      GossipSub g = GossipSub.start(host, GossipSubDerivation.config(fanout));
      g.setValidator(GossipSubDerivation.TX_TOPIC, this::validateTx);
      gossipSub = g;
      updateTxSubscription();
    });
    if (p.p2pConfig().dhtProviders()) {
      NetworkConfig c = config();
      boolean listening = !c.listenAddress().isEmpty() && c.incomingConnectionsLimit() != 0;
      p.onHostStarted(host -> discovery = P2PDiscovery.start(host, c, p.p2pConfig(), listening));
    }
  }

  /**
   * One mesh pass (the seed's {@code meshThreadInner}): with DHT providers enabled, first the
   * peerstore is refreshed from the DHT ({@code refreshPeerStoreAddresses}, inventory 7.7):
   * relays advertising {@code gossip} (up to the fanout) replace the dynamic relay entries, and
   * archival peers (up to 4) the dynamic archival ones, each only when the lookup found some;
   * persistent entries stay. Then relays are dialed until the target count.
   */
  @Override
  protected int meshPass(int target) {
    P2PDiscovery d = discovery;
    if (d != null) {
      refreshPeerStore(d, target);
    }
    return super.meshPass(target);
  }

  private void refreshPeerStore(P2PDiscovery d, int fanout) {
    List<String> relays = d.gossipPeers(fanout);
    List<String> archival = d.archivalPeers();
    log.debug("discovered {} gossip and {} archival peers in the DHT", relays.size(), archival.size());
    if (!archival.isEmpty()) {
      phonebook().replacePeerList(archival, config().genesisId(), Role.ARCHIVAL);
    }
    if (!relays.isEmpty()) {
      phonebook().replacePeerList(relays, config().genesisId(), Role.RELAY);
    }
  }

  /** The DHT discovery when {@link P2PConfig#dhtProviders()} is on and the node has started. */
  public java.util.Optional<P2PDiscovery> discovery() {
    return java.util.Optional.ofNullable(discovery);
  }

  /**
   * Whether the node wants TX gossip (the seed's {@code wantTXGossip}): it relays, it is told to
   * fetch transactions ({@link P2PConfig#forceFetchTransactions()}), or it participates.
   */
  public boolean wantsTxGossip() {
    return config().relays() || transport.p2pConfig().forceFetchTransactions() || participating.getAsBoolean();
  }

  /**
   * Tells the node whether it participates in consensus (the seed's {@code nodeInfo.IsParticipating});
   * read on start and on every {@link #onNetworkAdvance()}.
   */
  public void setParticipating(java.util.function.BooleanSupplier participating) {
    this.participating = participating == null ? () -> false : participating;
  }

  /** Whether the node is subscribed to the TX topic now. */
  public synchronized boolean txSubscribed() {
    return subscribed;
  }

  /** Re-evaluates {@link #wantsTxGossip()}, subscribing to or leaving the TX topic. */
  @Override
  public void onNetworkAdvance() {
    super.onNetworkAdvance();
    updateTxSubscription();
  }

  private synchronized void updateTxSubscription() {
    GossipSub g = gossipSub;
    if (g == null) {
      return;
    }
    boolean want = wantsTxGossip();
    if (want && !subscribed) {
      g.subscribe(GossipSubDerivation.TX_TOPIC, m -> {});
      subscribed = true;
    } else if (!want && subscribed) {
      g.unsubscribe(GossipSubDerivation.TX_TOPIC);
      subscribed = false;
    }
  }

  /**
   * TX goes over GossipSub (topic {@value GossipSubDerivation#TX_TOPIC}); every other tag over the
   * gossip streams. A TX already seen (a handler relaying what it received) is not published again.
   */
  @Override
  protected void send(Tag tag, byte[] data, boolean wait, Peer except) {
    GossipSub g = gossipSub;
    if (g == null || tag.code() != Tags.TX.code()) {
      super.send(tag, data, wait, except);
      return;
    }
    try {
      g.publish(GossipSubDerivation.TX_TOPIC, data);
    } catch (RuntimeException e) {
      log.debug("TX not published: {}", e.toString());
    }
  }

  /**
   * The TX topic's validator (the seed's {@code txTopicValidator}): our own messages are accepted;
   * a TX the node's incoming duplicate filter has seen (over another network of a hybrid node) is
   * ignored and counted in {@code gossipnet.p2p.tx.duplicate}; others go to the TX validator, or else the TX handler, whose action decides: accept (and
   * forward), ignore, or disconnect = reject (the sender is scored, not disconnected).
   */
  private ValidationResult validateTx(PubsubMessage m) {
    PeerId from = m.receivedFrom() != null ? m.receivedFrom() : m.from();
    if (from == null || from.equals(transport.peerId())) {
      return ValidationResult.ACCEPT;
    }
    io.gossipnet.core.filter.IncomingDuplicateFilter seen = incomingFilter();
    if (seen != null && seen.isDuplicate(Tags.TX, m.data())) {
      // Already handled (in a hybrid node, received over WS first and relayed through the node).
      duplicateTx.increment();
      return ValidationResult.IGNORE;
    }
    Peer sender = senderOf(from);
    IncomingMessage msg = new IncomingMessage(sender, Tags.TX, m.data(), owner(), System.nanoTime(), false);
    OutgoingMessage out =
        multiplexer().hasValidator(Tags.TX.code()) ? multiplexer().validate(msg) : multiplexer().handle(msg);
    ValidationResult result = switch (out.action()) {
      case DISCONNECT -> ValidationResult.REJECT;
      case IGNORE -> ValidationResult.IGNORE;
      default -> ValidationResult.ACCEPT;
    };
    java.util.function.BiConsumer<byte[], Peer> bridge = txBridge;
    if (result == ValidationResult.ACCEPT && bridge != null) {
      try {
        bridge.accept(m.data(), sender);
      } catch (RuntimeException e) {
        log.debug("accepted TX not bridged: {}", e.toString());
      }
    }
    return result;
  }

  /**
   * Gives every TX from another peer that the TX validator (or handler) accepted on GossipSub to
   * {@code bridge}, with its sender, on the GossipSub thread (so it must not block): a hybrid node
   * relays it to its WS peers there (the seed's {@code BridgeP2PToWS}). Null removes it.
   */
  public void onTxAccepted(java.util.function.BiConsumer<byte[], Peer> bridge) {
    this.txBridge = bridge;
  }

  /**
   * What signs with this node's libp2p key: a hybrid node's WS identity challenge uses it, so the
   * node has one identity (the key inside its peer ID) on both transports.
   */
  public io.gossipnet.core.identity.IdentitySigner identitySigner() {
    return identitySigner(transport.p2pConfig().privateKey());
  }

  /** An {@link io.gossipnet.core.identity.IdentitySigner} over a libp2p Ed25519 key. */
  public static io.gossipnet.core.identity.IdentitySigner identitySigner(io.gossipnet.libp2p.crypto.PrivateKey key) {
    java.util.Objects.requireNonNull(key, "key");
    return new io.gossipnet.core.identity.IdentitySigner() {
      @Override
      public byte[] publicKey() {
        return key.publicKey().data();
      }

      @Override
      public byte[] sign(byte[] message) {
        return key.sign(message);
      }
    };
  }

  private Peer senderOf(PeerId id) {
    String s = id.toBase58();
    for (var p : connectedPeers()) {
      if (p.stableId().equals(s)) {
        return p;
      }
    }
    return new GossipSubSender(s);
  }

  /** The sender of a TX received over GossipSub from a peer with no gossip stream (yet). */
  private record GossipSubSender(String stableId) implements PeerConnectionInfo {
    @Override
    public String address() {
      return "/p2p/" + stableId;
    }

    @Override
    public String networkType() {
      return "p2p";
    }
  }

  @Override
  public void stop() {
    P2PDiscovery d = discovery;
    if (d != null) {
      d.close();
    }
    GossipSub g = gossipSub;
    if (g != null) {
      g.close();
    }
    super.stop();
  }

  /** The GossipSub router once started, for metrics and tests. */
  public java.util.Optional<GossipSub> gossipSub() {
    return java.util.Optional.ofNullable(gossipSub);
  }

  /**
   * The engine's builder over a new {@link P2PTransport}: the node's own key is the one in its peer
   * ID, no identity challenge, a tracker of connected identities, and the P2P mesher's backoff.
   */
  public static NetworkEngine.Builder builder(NetworkConfig config, P2PConfig p2p) {
    return NetworkEngine.builder(config, new P2PTransport(p2p))
        .selfKey(p2p.privateKey().publicKey().data())
        .identity(null)
        .identityTracker(IdentityTracker.create())
        .meshBackoff(JitterBackoff.meshDefault());
  }

  /** This node's peer ID. */
  public PeerId peerId() {
    return transport.peerId();
  }

  /** The transport. */
  @Override
  public P2PTransport transport() {
    return transport;
  }
}
