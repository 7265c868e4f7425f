package io.gossipnet.core.spi;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.identity.IdentityChallengeScheme;
import io.micrometer.core.instrument.MeterRegistry;

/** What the engine gives a transport: settings, identity and a place to report connections. */
public interface TransportContext {
  /** The network settings. */
  NetworkConfig config();

  /** Random bytes that identify this process in handshakes, to detect connections to itself. */
  byte[] nodeRandom();

  /** The identity challenge, or null when it is disabled. */
  IdentityChallengeScheme identity();

  /** The metrics registry. */
  MeterRegistry meters();

  /**
   * Asks the engine whether one more incoming peer from {@code remoteHost} is allowed (total and
   * per-IP limits) before the transport finishes the handshake.
   */
  Admission admitIncoming(String remoteHost);

  /**
   * Hands an accepted and handshaken connection to the engine, which starts its loops. The engine
   * may still close it (for example a duplicate identity).
   */
  void acceptIncoming(MessageConnection connection, PeerHandshake handshake);

  /**
   * Closes the engine's peer that runs over {@code connection}, if there is one, before this call
   * returns: the peer leaves the peer list and the identity tracker at once, so that a connection
   * that replaces it (P2P: a newer gossip stream of the same peer) can be accepted right after.
   *
   * @param connection a connection given to the engine earlier (by {@link #acceptIncoming} or a dial)
   * @param reason why it is closed
   * @return whether a peer was closed
   */
  boolean closePeer(MessageConnection connection, io.gossipnet.core.DisconnectReason reason);

  /** Whether a connection may be admitted, and if not why. */
  enum Admission {
    /** Admit it. */
    OK,
    /** The node has as many incoming peers as it accepts (503). */
    TOTAL_LIMIT,
    /** That address has as many incoming peers as it may (503). */
    PER_IP_LIMIT,
    /** The node does not accept gossip connections (404). */
    GOSSIP_DISABLED
  }
}
