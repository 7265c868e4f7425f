package io.gossipnet.ws;

import io.gossipnet.core.identity.Ed25519IdentityChallengeScheme;
import java.util.Objects;

/**
 * The names of the handshake headers. They are configuration so another application can choose
 * its own; {@link #defaults()} are go-algorand's ({@code X-Algorand-*}), so the wire format matches
 * the seed network.
 *
 * @param telemetryId the sender's telemetry GUID
 * @param instanceName the sender's instance name
 * @param location the sender's public address
 * @param nodeRandom base64 of the sender's 10 random bytes, to detect connections to itself
 * @param genesis the sender's genesis ID
 * @param version the protocol version the sender uses
 * @param acceptVersion one value per protocol version the sender supports
 * @param peerFeatures the sender's feature list
 * @param identityChallenge identity challenge messages 1 and 2
 */
public record WsHeaderNames(
    String telemetryId,
    String instanceName,
    String location,
    String nodeRandom,
    String genesis,
    String version,
    String acceptVersion,
    String peerFeatures,
    String identityChallenge) {

  /** Checks that every name is present. */
  public WsHeaderNames {
    Objects.requireNonNull(telemetryId, "telemetryId");
    Objects.requireNonNull(instanceName, "instanceName");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(nodeRandom, "nodeRandom");
    Objects.requireNonNull(genesis, "genesis");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(acceptVersion, "acceptVersion");
    Objects.requireNonNull(peerFeatures, "peerFeatures");
    Objects.requireNonNull(identityChallenge, "identityChallenge");
  }

  /** go-algorand's header names. */
  public static WsHeaderNames defaults() {
    return new WsHeaderNames(
        "X-Algorand-TelId",
        "X-Algorand-InstanceName",
        "X-Algorand-Location",
        "X-Algorand-NodeRandom",
        "X-Algorand-Genesis",
        "X-Algorand-Version",
        "X-Algorand-Accept-Version",
        "X-Algorand-Peer-Features",
        Ed25519IdentityChallengeScheme.HEADER_NAME);
  }
}
