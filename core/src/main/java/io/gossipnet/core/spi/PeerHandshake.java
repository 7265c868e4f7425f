package io.gossipnet.core.spi;

import io.gossipnet.core.identity.HandshakeIdentity;
import java.util.Set;

/**
 * What a transport learned about a peer while establishing a connection.
 *
 * @param protocolVersion the negotiated protocol version (e.g. {@code "2.2"})
 * @param features the peer's advertised features (e.g. {@code ppzstd})
 * @param telemetryGuid the peer's telemetry ID (sanitised), or empty
 * @param instanceName the peer's instance name (sanitised), or empty
 * @param identity the identity-challenge state
 */
public record PeerHandshake(
    String protocolVersion,
    Set<String> features,
    String telemetryGuid,
    String instanceName,
    HandshakeIdentity identity) {

  /** A handshake that established nothing beyond the connection. */
  public static PeerHandshake basic(String protocolVersion) {
    return new PeerHandshake(protocolVersion, Set.of(), "", "", HandshakeIdentity.NONE);
  }
}
