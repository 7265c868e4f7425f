package io.gossipnet.ws;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Address forms of the WebSocket transport. A peer address is written {@code host:port}, {@code
 * http://host:port}, {@code https://host:port} or with a {@code ws}/{@code wss} scheme; its
 * canonical form ({@code http[s]://host:port}, lower case, explicit port) is what the mesh compares
 * and what the identity challenge names. The gossip URL is the canonical address with http→ws,
 * https→wss and the gossip path.
 */
public final class WsAddresses {
  private WsAddresses() {}

  /**
   * The canonical form of an address, or the empty string for an empty one.
   *
   * @throws IllegalArgumentException if the address cannot be parsed or has no host
   */
  public static String canonical(String address) {
    if (address == null || address.isBlank()) {
      return "";
    }
    String a = address.trim();
    if (!a.contains("://")) {
      a = "http://" + a;
    }
    URI u;
    try {
      u = new URI(a);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not an address: " + address, e);
    }
    String scheme = u.getScheme() == null ? "http" : u.getScheme().toLowerCase(Locale.ROOT);
    scheme = switch (scheme) {
      case "ws", "http" -> "http";
      case "wss", "https" -> "https";
      default -> throw new IllegalArgumentException("unsupported scheme in address: " + address);
    };
    String host = u.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("no host in address: " + address);
    }
    int port = u.getPort() > 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
  }

  /** The host of a canonical address (brackets kept for IPv6 literals). */
  public static String host(String canonical) {
    return URI.create(canonical).getHost();
  }

  /** The gossip WebSocket URL of a canonical address for a genesis ID and gossip path. */
  public static URI gossipUri(String canonical, String genesisId, String gossipPath) {
    String ws = canonical.startsWith("https://") ? "wss://" + canonical.substring(8) : "ws://" + canonical.substring(7);
    return URI.create(ws + gossipPath.replace("{genesisID}", genesisId));
  }
}
