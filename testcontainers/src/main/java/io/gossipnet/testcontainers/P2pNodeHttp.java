package io.gossipnet.testcontainers;

import io.gossipnet.libp2p.http.HttpRequest;
import io.gossipnet.libp2p.http.HttpResponse;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The {@link NodeHttp} of a P2P node: HTTP over libp2p ({@link Libp2pHttpClient}) to the node's
 * mapped port, addressed by its peer ID. A P2P node serves its HTTP API only this way.
 *
 * @param alias the node's alias, for messages
 * @param address {@code /ip4|dns4/HOST/tcp/MAPPED_PORT/p2p/<peer ID>} as the test host reaches the node
 * @param genesis the node's genesis ID, part of the demo API's paths
 */
public record P2pNodeHttp(String alias, Multiaddr address, String genesis) implements NodeHttp {
  @Override
  public Answer send(String method, String target, byte[] body) {
    HttpResponse response;
    try {
      response = Libp2pHttpClient.send(address, new HttpRequest(method, target, Map.of(), body));
    } catch (IOException e) {
      throw new UncheckedIOException(alias + ": " + method + " " + target + " over libp2p to " + address + " failed", e);
    }
    return new Answer(response.status(), response.bodyText());
  }
}
