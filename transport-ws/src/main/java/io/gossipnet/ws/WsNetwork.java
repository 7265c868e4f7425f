package io.gossipnet.ws;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.core.identity.Ed25519IdentityChallengeScheme;
import io.gossipnet.core.identity.IdentityChallengeScheme;
import io.gossipnet.core.identity.IdentityKeys;
import io.gossipnet.core.identity.IdentitySigner;
import io.gossipnet.core.identity.IdentityTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;

/**
 * The gossip network over HTTP + WebSocket: the core {@link NetworkEngine} over a {@link
 * WsTransport}. Everything about peers, broadcasting, handlers, the mesh and identity is the
 * engine's; this class only picks the transport and the identity challenge.
 *
 * <p>As in the seed, the identity challenge runs when the node has a public address (its dedup
 * name, in canonical form) and signs with an Ed25519 key generated per process.
 *
 * <pre>{@code
 * WsNetwork net = new WsNetwork(NetworkConfig.builder("mainnet").listenAddress("0.0.0.0:4160")
 *     .publicAddress("http://relay1:4160").relayPeers(List.of("relay2:4160")).build());
 * net.registerHandlers(...);
 * net.start();
 * }</pre>
 */
public class WsNetwork extends NetworkEngine {
  private final WsTransport transport;

  /** A network with default WebSocket settings and its own meter registry. */
  public WsNetwork(NetworkConfig config) {
    this(config, WsConfig.defaults(), new SimpleMeterRegistry());
  }

  /** A network with these settings. */
  public WsNetwork(NetworkConfig config, WsConfig ws, MeterRegistry registry) {
    this(config, new WsTransport(ws), registry, defaultIdentity(config), IdentityTracker.create());
  }

  /**
   * A network with an explicit identity scheme and tracker (a hybrid node shares one tracker).
   *
   * @param identity the identity challenge, or null to run without it
   */
  public WsNetwork(NetworkConfig config, WsTransport transport, MeterRegistry registry, IdentityChallengeScheme identity, IdentityTracker tracker) {
    this(NetworkEngine.builder(config, transport).meterRegistry(registry).identity(identity).identityTracker(tracker));
  }

  /**
   * A network from the engine's builder, for every piece the other constructors do not take
   * (shared duplicate filter, owner node, clock, scheduler, mesh):
   *
   * <pre>{@code
   * WsNetwork net = new WsNetwork(NetworkEngine.builder(config, new WsTransport(ws))
   *     .identity(WsNetwork.identity(config, signer)).identityTracker(shared).owner(hybrid));
   * }</pre>
   *
   * @param pieces a builder made over a {@link WsTransport}
   * @throws IllegalArgumentException if the builder's transport is not a {@link WsTransport}
   */
  public WsNetwork(NetworkEngine.Builder pieces) {
    super(pieces);
    if (!(super.transport() instanceof WsTransport ws)) {
      throw new IllegalArgumentException("a WsNetwork runs over a WsTransport, not " + super.transport().getClass().getName());
    }
    this.transport = ws;
  }

  /** The seed's standalone identity: a random key per process, the public address as dedup name. */
  public static IdentityChallengeScheme defaultIdentity(NetworkConfig config) {
    return identity(config, IdentityKeys.generate());
  }

  /**
   * The identity challenge signed by {@code signer} (a hybrid node's libp2p key), with the public
   * address as dedup name; null when the config disables the challenge or has no public address.
   */
  public static IdentityChallengeScheme identity(NetworkConfig config, IdentitySigner signer) {
    if (!config.enableIdentityChallenge() || config.publicAddress().isEmpty()) {
      return null;
    }
    return new Ed25519IdentityChallengeScheme(signer, Set.of(WsAddresses.canonical(config.publicAddress())));
  }

  /** The transport. */
  public WsTransport transport() {
    return transport;
  }

  /** The port the node listens on, or -1. */
  public int localPort() {
    return transport.localPort();
  }
}
