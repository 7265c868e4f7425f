package io.gossipnet.p2p;

import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.core.spi.PeerHandshake;
import io.gossipnet.p2p.MetadataException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * The V22 start-of-stream exchange of {@code /algorand-ws/2.2.0} (seed: {@code
 * wsStreamHandlerV22}) and its version negotiation.
 *
 * <p>Which side does what follows the libp2p <em>connection</em>'s direction, not the stream's
 * (the peer with the lower ID opens the stream whoever dialed): the side that dialed the
 * connection runs {@link #outgoing}: it writes its metadata with its own version and every version
 * it accepts, then reads the answer. The other side runs {@link #incoming}: it reads first,
 * negotiates, and answers with the negotiated version. Each side negotiates on the frame it read,
 * with the seed's {@code checkProtocolVersionMatch}. Only the version is checked; the genesis ID is
 * sent but not compared over P2P. Any failure is a {@link MetadataException}, after which the
 * caller resets the stream.
 */
public final class MetadataExchange {
  /** The protocol version we speak: the seed's {@code ProtocolVersion}. */
  public static final String PROTOCOL_VERSION = "2.2";

  /** The versions we accept: the seed's {@code SupportedProtocolVersions}. */
  public static final List<String> SUPPORTED_VERSIONS = List.of(PROTOCOL_VERSION);

  private MetadataExchange() {}

  /**
   * What this node sends.
   *
   * @param telemetryId our telemetry GUID (may be empty)
   * @param instanceName our instance name (may be empty)
   * @param genesisId our genesis ID
   * @param features our features, e.g. {@code ppzstd}
   * @param protocolVersion the version we send as the dialer (the seed's {@code protocolVersion})
   * @param supportedVersions the versions we accept, in preference order; not empty
   */
  public record Local(String telemetryId, String instanceName, String genesisId, List<String> features,
      String protocolVersion, List<String> supportedVersions) {
    /** Checks the components and copies the lists. */
    public Local {
      Objects.requireNonNull(telemetryId, "telemetryId");
      Objects.requireNonNull(instanceName, "instanceName");
      Objects.requireNonNull(genesisId, "genesisId");
      Objects.requireNonNull(protocolVersion, "protocolVersion");
      features = List.copyOf(features);
      supportedVersions = List.copyOf(supportedVersions);
      if (supportedVersions.isEmpty() || supportedVersions.size() > MetadataFrame.MAX_VALUES) {
        throw new IllegalArgumentException(
            "supportedVersions needs 1 to " + MetadataFrame.MAX_VALUES + " versions, got " + supportedVersions);
      }
    }

    /** Our frame announcing {@code version} as the one we use. */
    public MetadataFrame frame(String version) {
      return MetadataFrame.forNode(telemetryId, instanceName, genesisId, features, version, supportedVersions);
    }
  }

  /**
   * A completed exchange.
   *
   * @param version the version negotiated from the peer's frame
   * @param peer the peer's frame as read
   */
  public record Result(String version, MetadataFrame peer) {
    /** Checks the components. */
    public Result {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(peer, "peer");
    }

    /** What the engine learns about the peer, with the identity the transport proved. */
    public PeerHandshake handshake(HandshakeIdentity identity, String remoteId) {
      return new PeerHandshake(version, peer.features(), peer.telemetryId(), peer.instanceName(), identity, remoteId);
    }
  }

  /**
   * The seed's {@code checkProtocolVersionMatch}: the first of the peer's accepted versions that
   * we support (exact match), else the peer's version if we support it.
   *
   * @throws MetadataException {@link Reason#NO_COMMON_VERSION} when there is none
   */
  public static String negotiate(MetadataFrame peer, List<String> supported) throws MetadataException {
    for (String v : peer.acceptVersions()) {
      if (supported.contains(v)) {
        return v;
      }
    }
    String version = peer.version();
    if (supported.contains(version)) {
      return version;
    }
    throw new MetadataException(Reason.NO_COMMON_VERSION,
        "peer accepts " + peer.acceptVersions().stream().map(MetadataFrame::sanitize).toList()
            + " and uses " + MetadataFrame.sanitize(version) + "; we support " + supported);
  }

  /**
   * The dialer's side: writes our frame (our version, our accepted versions), flushes, reads the
   * peer's answer and negotiates on it.
   *
   * @throws MetadataException if the answer is bad or shares no version with us
   * @throws IOException if the stream fails
   */
  public static Result outgoing(InputStream in, OutputStream out, Local local) throws IOException {
    local.frame(local.protocolVersion()).write(out);
    out.flush();
    MetadataFrame peer = MetadataFrame.read(in);
    return new Result(negotiate(peer, local.supportedVersions()), peer);
  }

  /**
   * The acceptor's side: reads the dialer's frame, negotiates, then writes our frame with the
   * negotiated version and flushes. Nothing is written when reading or negotiating fails.
   *
   * @throws MetadataException if the dialer's frame is bad or shares no version with us
   * @throws IOException if the stream fails
   */
  public static Result incoming(InputStream in, OutputStream out, Local local) throws IOException {
    MetadataFrame peer = MetadataFrame.read(in);
    String version = negotiate(peer, local.supportedVersions());
    local.frame(version).write(out);
    out.flush();
    return new Result(version, peer);
  }
}
