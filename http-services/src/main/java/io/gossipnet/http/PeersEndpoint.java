package io.gossipnet.http;

import io.gossipnet.core.GossipNode;
import io.gossipnet.core.Peer;
import io.gossipnet.core.PeerConnectionInfo;
import io.gossipnet.core.PeerOption;
import io.gossipnet.core.PeerTraffic;
import io.gossipnet.core.http.HttpHandler;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The connected peers as JSON, incoming first, then outgoing:
 *
 * <pre>{@code
 * {"count": 1,
 *  "peers": [{"id": "12D3KooW...", "address": "/ip4/127.0.0.1/tcp/4190/p2p/12D3KooW...",
 *             "network": "p2p", "direction": "out",
 *             "queue": {"high": 0, "bulk": 3},
 *             "messagesIn": 120, "bytesIn": 24180, "messagesOut": 98, "bytesOut": 19796}]}
 * }</pre>
 *
 * <p>{@code id} is the peer's {@link PeerConnectionInfo#stableId()} (the libp2p peer ID over P2P,
 * the verified identity key in hex over WS, else the address); {@code network} is {@code ws},
 * {@code p2p} or {@code mem}; the counters and queue depths come from {@link PeerTraffic} and are
 * absent for a peer that does not offer them.
 */
public final class PeersEndpoint implements HttpHandler {
  private final GossipNode node;
  private final JsonMapper json;

  /** The peers of {@code node}. */
  public PeersEndpoint(GossipNode node, JsonMapper json) {
    this.node = node;
    this.json = json;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    List<Map<String, Object>> peers = new ArrayList<>();
    add(peers, node.getPeers(PeerOption.CONNECTED_IN), "in");
    add(peers, node.getPeers(PeerOption.CONNECTED_OUT), "out");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("count", peers.size());
    body.put("peers", peers);
    return new HttpResponse(200, Map.of("content-type", List.of("application/json"), "cache-control", List.of("no-store")),
        json.writeValueAsBytes(body));
  }

  private static void add(List<Map<String, Object>> out, List<Peer> peers, String direction) {
    for (Peer p : peers) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (p instanceof PeerConnectionInfo info) {
        m.put("id", info.stableId());
        m.put("address", info.address());
        m.put("network", info.networkType());
      }
      m.put("direction", direction);
      if (p instanceof PeerTraffic t) {
        m.put("queue", Map.of("high", t.queuedHighPriority(), "bulk", t.queuedBulk()));
        m.put("messagesIn", t.messagesIn());
        m.put("bytesIn", t.bytesIn());
        m.put("messagesOut", t.messagesOut());
        m.put("bytesOut", t.bytesOut());
      }
      out.add(m);
    }
  }
}
