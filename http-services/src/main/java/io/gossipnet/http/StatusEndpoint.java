package io.gossipnet.http;

import io.gossipnet.core.GossipNode;
import io.gossipnet.core.PeerOption;
import io.gossipnet.core.http.HttpHandler;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The health endpoint, the seed's {@code HealthService}: {@code 200} while the node runs, with a
 * small JSON body, {@code {"status":"ok","genesis":"<genesis ID>","peers":<connected peers>}}.
 * It does no I/O and takes no lock the node's traffic holds, so it answers under load; at {@code
 * /status} the WS transport also lets it past its pending-connection cap.
 */
public final class StatusEndpoint implements HttpHandler {
  private final GossipNode node;
  private final JsonMapper json;

  /** The health of {@code node}. */
  public StatusEndpoint(GossipNode node, JsonMapper json) {
    this.node = node;
    this.json = json;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("genesis", node.genesisId());
    body.put("peers", node.getPeers(PeerOption.CONNECTED_IN, PeerOption.CONNECTED_OUT).size());
    return new HttpResponse(200, Map.of("content-type", List.of("application/json"), "cache-control", List.of("no-store")),
        json.writeValueAsBytes(body));
  }
}
