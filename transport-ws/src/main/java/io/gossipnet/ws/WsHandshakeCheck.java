package io.gossipnet.ws;

import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.core.identity.IdentityChallengeScheme;
import io.gossipnet.core.identity.IdentityException;
import io.gossipnet.core.spi.PeerHandshake;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;

/**
 * The server side's checks of an upgrade request's handshake headers, after the limits (the seed's
 * {@code ServeHTTP}), in order: version negotiation (412), genesis path variable (404 when missing,
 * 412 on mismatch), node random (412 missing, 508 self), the identity challenge (412 when malformed
 * or wrongly signed). A function of the headers, so it can be tested without a server.
 */
final class WsHandshakeCheck {
  private WsHandshakeCheck() {}

  /**
   * What the checks made of a request.
   *
   * @param status 0 when accepted, else the HTTP status to refuse with
   * @param text the refusal's body, or empty
   * @param identityError the detail of a malformed or wrongly signed identity challenge, or null
   * @param version the negotiated version when accepted
   * @param handshake what the peer announced, when accepted
   * @param reply the identity challenge reply, or null
   */
  record Result(
      int status,
      String text,
      String identityError,
      String version,
      PeerHandshake handshake,
      IdentityChallengeScheme.ChallengeReply reply) {
    boolean accepted() {
      return status == 0;
    }

    static Result refuse(int status, String text) {
      return new Result(status, text, null, null, null, null);
    }
  }

  /**
   * Checks the handshake headers of an incoming gossip upgrade.
   *
   * @param ws the WebSocket settings (header names, supported versions)
   * @param genesisId this node's genesis ID
   * @param ourRandom base64 of this node's random ID
   * @param identity this node's identity scheme, or null
   * @param pathGenesis the request path's genesis ID, or null
   * @param h the request's headers
   */
  static Result check(WsConfig ws, String genesisId, String ourRandom, IdentityChallengeScheme identity, String pathGenesis, HttpFields h) {
    WsHeaderNames n = ws.headers();
    String version = negotiateVersion(ws.supportedVersions(), h.getValuesList(n.acceptVersion()), h.get(n.version()));
    if (version == null) {
      return Result.refuse(412, "requested version not supported: " + Sanitize.ascii(h.get(n.version())));
    }
    if (pathGenesis == null || pathGenesis.isEmpty()) {
      return Result.refuse(404, "missing genesis ID");
    }
    if (!pathGenesis.equals(genesisId)) {
      return Result.refuse(412, "mismatching genesis ID");
    }
    String random = h.get(n.nodeRandom());
    if (random == null || random.isEmpty()) {
      return Result.refuse(412, "missing random ID header");
    }
    if (random.equals(ourRandom)) {
      return Result.refuse(508, "connection to self");
    }
    IdentityChallengeScheme.ChallengeReply reply = null;
    if (identity != null) {
      try {
        reply = identity.verifyRequestAndAttachResponse(h.get(n.identityChallenge()));
      } catch (IdentityException e) {
        return new Result(412, "invalid identity challenge", String.valueOf(e.getMessage()), null, null, null);
      }
    }
    HandshakeIdentity id = reply == null ? HandshakeIdentity.NONE : reply.identity();
    PeerHandshake hs = new PeerHandshake(version, features(h.get(n.peerFeatures())), Sanitize.ascii(h.get(n.telemetryId())), Sanitize.ascii(h.get(n.instanceName())), id);
    return new Result(0, "", null, version, hs, reply);
  }

  /** The seed's {@code checkProtocolVersionMatch}: the first accepted version we support, else the peer's version. */
  static String negotiateVersion(Collection<String> supported, List<String> acceptVersions, String version) {
    if (acceptVersions != null) {
      for (String v : acceptVersions) {
        for (String part : v.split(",")) {
          String t = part.trim();
          if (supported.contains(t)) {
            return t;
          }
        }
      }
    }
    if (version != null && supported.contains(version.trim())) {
      return version.trim();
    }
    return null;
  }

  /** A peer's feature list: sanitised, at most 16. */
  static Set<String> features(String header) {
    if (header == null || header.isBlank()) {
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String f : header.split(",")) {
      String t = Sanitize.ascii(f.trim());
      if (!t.isEmpty() && out.size() < 16) {
        out.add(t);
      }
    }
    return out;
  }
}
