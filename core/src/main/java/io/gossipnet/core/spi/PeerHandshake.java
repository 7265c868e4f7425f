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
 * @param remoteId the remote's stable id when the transport authenticates one (a libp2p peer ID),
 *     else empty: the engine then uses the verified identity key or the address
 */
public record PeerHandshake(
    String protocolVersion,
    Set<String> features,
    String telemetryGuid,
    String instanceName,
    HandshakeIdentity identity,
    String remoteId) {

  /** Checks the components; a null {@code remoteId} is empty. */
  public PeerHandshake {
    remoteId = remoteId == null ? "" : remoteId;
  }

  /** A handshake whose transport knows no stable id of the remote. */
  public PeerHandshake(
      String protocolVersion,
      Set<String> features,
      String telemetryGuid,
      String instanceName,
      HandshakeIdentity identity) {
    this(protocolVersion, features, telemetryGuid, instanceName, identity, "");
  }

  /** A handshake that established nothing beyond the connection. */
  public static PeerHandshake basic(String protocolVersion) {
    return new PeerHandshake(protocolVersion, Set.of(), "", "", HandshakeIdentity.NONE);
  }
}
