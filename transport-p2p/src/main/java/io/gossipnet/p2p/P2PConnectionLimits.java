package io.gossipnet.p2p;

import java.time.Duration;

/**
 * The libp2p host's connection limits, derived from the node's configuration as the seed's {@code
 * deriveConnLimits} does ({@code p2p/p2p.go}). The resource manager caps connections ({@code
 * conns}, {@code connsInbound}, {@code connsOutbound}); the connection manager trims back to
 * {@code connMgrLow} when more than {@code connMgrHigh} are open, sparing connections younger than
 * {@link #GRACE_PERIOD}.
 *
 * <ul>
 *   <li>outbound = 3 × fanout, plus another 3 × fanout with DHT providers;
 *   <li>a listen server: conns = outbound + incoming limit, inbound = incoming limit, high = conns,
 *       low = 96 % of high (integer division); an incoming limit of −1 makes conns and inbound
 *       {@link #UNLIMITED} and disables trimming (high = low = 0);
 *   <li>a client: conns = outbound + 3 × fanout, inbound 0, high = outbound, low = 2 × fanout.
 * </ul>
 *
 * <p>A value of 0 for {@code connsInbound} or {@code connsOutbound} (a client's inbound, or a zero
 * fanout) means the seed leaves the resource manager's own default in place: it overrides only
 * positive values.
 *
 * @param conns total connections, or {@link #UNLIMITED}
 * @param connsInbound inbound connections, or {@link #UNLIMITED}
 * @param connsOutbound outbound connections
 * @param connMgrHigh connections above which the connection manager trims (0: never)
 * @param connMgrLow connections the connection manager trims down to (0 with high 0: never)
 */
public record P2PConnectionLimits(int conns, int connsInbound, int connsOutbound, int connMgrHigh, int connMgrLow) {
  /** No limit (the seed's {@code math.MaxInt}). */
  public static final int UNLIMITED = -1;

  /** How long a new connection is spared by the connection manager: 20 s. */
  public static final Duration GRACE_PERIOD = Duration.ofSeconds(20);

  /** Checks that no count is negative except an {@link #UNLIMITED} total or inbound. */
  public P2PConnectionLimits {
    if (conns < UNLIMITED || connsInbound < UNLIMITED || connsOutbound < 0 || connMgrHigh < 0 || connMgrLow < 0
        || connMgrLow > connMgrHigh) {
      throw new IllegalArgumentException("invalid connection limits: " + conns + "/" + connsInbound + "/"
          + connsOutbound + ", high " + connMgrHigh + ", low " + connMgrLow);
    }
  }

  /**
   * Derives the limits.
   *
   * @param gossipFanout the configured fanout ({@code GossipFanout}), at least 0
   * @param listenServer whether the node listens for incoming connections ({@code IsListenServer})
   * @param incomingConnectionsLimit the incoming limit ({@code IncomingConnectionsLimit}, or the
   *     hybrid one); −1 for unlimited; ignored by a client
   * @param dhtProviders whether DHT providers are enabled ({@code EnableDHTProviders})
   * @throws IllegalArgumentException for a negative fanout
   * @throws ArithmeticException when a count overflows an {@code int}
   */
  public static P2PConnectionLimits derive(int gossipFanout, boolean listenServer, int incomingConnectionsLimit,
      boolean dhtProviders) {
    if (gossipFanout < 0) {
      throw new IllegalArgumentException("gossipFanout must be >= 0, got " + gossipFanout);
    }
    int three = Math.multiplyExact(3, gossipFanout);
    int outbound = dhtProviders ? Math.multiplyExact(2, three) : three;
    if (!listenServer) {
      return new P2PConnectionLimits(Math.addExact(outbound, three), 0, outbound, outbound, 2 * gossipFanout);
    }
    if (incomingConnectionsLimit < 0) {
      return new P2PConnectionLimits(UNLIMITED, UNLIMITED, outbound, 0, 0);
    }
    int conns = Math.addExact(outbound, incomingConnectionsLimit);
    return new P2PConnectionLimits(conns, incomingConnectionsLimit, outbound, conns, (int) (conns * 96L / 100));
  }

  /** Whether the connection manager trims connections at all. */
  public boolean trimming() {
    return connMgrHigh > 0;
  }
}
