package io.gossipnet.node;

import io.gossipnet.core.GossipException;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.core.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --demo-api} of {@code gossipnet run}: TX and AV handlers that record the SHA-256 of
 * every distinct payload and relay new ones (as the demo does), plus two HTTP endpoints:
 *
 * <ul>
 *   <li>{@code POST /v1/{genesisID}/demo/broadcast[?tag=TX|AV]}: body = the message (at most 64
 *       KiB); the node queues it for broadcast on the tag (default TX; over P2P, TX goes over
 *       GossipSub and AV over the gossip streams) and answers {@code {"id":"<sha256 hex>"}}
 *       without waiting for delivery, or 503 if the broadcast queue is full;
 *   <li>{@code GET /v1/{genesisID}/demo/received}: {@code {"ids":[...]}}, the ids this node
 *       received or broadcast itself, at most the last {@value #MAX_IDS}.
 * </ul>
 */
final class DemoApi {
  static final int MAX_BODY = 64 * 1024;
  static final int MAX_IDS = 100_000;

  private final GossipNode node;
  private final Map<String, Boolean> seen =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_IDS;
        }
      };

  DemoApi(GossipNode node) {
    this.node = node;
  }

  /** Registers the TX handler and the two endpoints. Call before the node starts. */
  void install() {
    node.registerHandlers(
        List.of(
            new TaggedHandler(
                Tags.TX,
                msg -> record(sha256(msg.data())) ? OutgoingMessage.broadcast() : OutgoingMessage.ignore()),
            new TaggedHandler(
                Tags.AV,
                msg -> record(sha256(msg.data())) ? OutgoingMessage.broadcast() : OutgoingMessage.ignore())));
    node.registerHttpHandler(
        "/v1/{genesisID}/demo/broadcast",
        req -> {
          if (!req.method().equals("POST")) {
            return HttpResponse.text(405, "use POST");
          }
          if (req.body().length > MAX_BODY) {
            return HttpResponse.text(413, "body over " + MAX_BODY + " bytes");
          }
          if (req.body().length == 0) {
            return HttpResponse.text(400, "empty body");
          }
          io.gossipnet.core.Tag tag;
          String q = req.query();
          if (q.isEmpty() || q.equals("tag=TX")) {
            tag = Tags.TX;
          } else if (q.equals("tag=AV")) {
            tag = Tags.AV;
          } else {
            return HttpResponse.text(400, "query must be tag=TX or tag=AV");
          }
          String id = sha256(req.body());
          record(id);
          try {
            // Not wait: a hybrid whose peers are all on one network would hold the answer until the
            // other network's queued copy goes stale (25 s). The seed's REST broadcast does not wait either.
            node.broadcast(tag, req.body(), false, null);
          } catch (GossipException e) {
            return HttpResponse.text(503, "not broadcast: " + e.getMessage());
          }
          return HttpResponse.json(200, "{\"id\":\"" + id + "\"}");
        });
    node.registerHttpHandler(
        "/v1/{genesisID}/demo/received",
        req -> {
          List<String> ids;
          synchronized (seen) {
            ids = new ArrayList<>(seen.keySet());
          }
          StringBuilder b = new StringBuilder(ids.size() * 67 + 16).append("{\"ids\":[");
          for (int i = 0; i < ids.size(); i++) {
            if (i > 0) {
              b.append(',');
            }
            b.append('"').append(ids.get(i)).append('"');
          }
          return HttpResponse.json(200, b.append("]}").toString());
        });
  }

  /** Records an id; true if it was new. */
  private boolean record(String id) {
    synchronized (seen) {
      return seen.putIfAbsent(id, Boolean.TRUE) == null;
    }
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
