package io.gossipnet.examples.kv;

import com.google.inject.Provider;
import io.gossipnet.core.GossipException;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.http.HttpRoute;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's HTTP API, served on every transport of the node:
 *
 * <ul>
 *   <li>{@code PUT /v1/{genesisID}/kv/{key}}, the body being the value: writes it here and gossips
 *       the write; {@code 200} with {@code {"key":...,"version":{"ts":...,"node":...},
 *       "gossiped":true}} ({@code gossiped} is false when the broadcast queue was full: anti-entropy
 *       spreads the write then). {@code 400} for a bad key, {@code 413} for a value over 16 KiB,
 *       {@code 507} when the key is new and the store is full.
 *   <li>{@code GET /v1/{genesisID}/kv/{key}}: {@code 200} with the value ({@code text/plain}; the
 *       version in header {@code kv-version}, as {@code ts/node}), or {@code 404}.
 *   <li>{@code GET /v1/{genesisID}/kv[?after=KEY][&limit=N]}: a page of the snapshot ({@link
 *       KvJson}); {@code limit=0} answers the count and digest only.
 * </ul>
 *
 * <p>Errors are JSON: {@code {"error":"..."}}. The key is the path segment as the transport gives
 * it (the WebSocket transport's Jetty server decodes percent-escapes; keys of plain URL characters
 * read the same everywhere).
 */
public final class KvHttp {
  /** The snapshot's path; a key's path is this plus {@code /{key}}. */
  public static final String PATH = "/v1/{genesisID}/kv";

  private static final Logger log = LoggerFactory.getLogger(KvHttp.class);
  private final KvStore store;
  private final Provider<GossipNode> node;

  /** The API of {@code store}, gossiping writes through {@code node}. */
  public KvHttp(KvStore store, Provider<GossipNode> node) {
    this.store = store;
    this.node = node;
  }

  /** {@code GET} and {@code PUT} of {@code /v1/{genesisID}/kv/{key}}, for {@code HttpServicesModule.routes}. */
  public HttpRoute keyRoute() {
    return new HttpRoute(PATH + "/{key}", Set.of("GET", "PUT"), this::key);
  }

  /** {@code GET /v1/{genesisID}/kv}, for {@code HttpServicesModule.routes}. */
  public HttpRoute snapshotRoute() {
    return new HttpRoute(PATH, Set.of("GET"), this::snapshot);
  }

  private HttpResponse key(HttpRequest request) {
    String key = request.pathVariables().get("key");
    String problem = KvStore.keyProblem(key);
    if (problem != null) {
      return HttpResponse.json(400, KvJson.error(problem));
    }
    return request.method().equals("PUT") ? put(key, request.body()) : get(key);
  }

  private HttpResponse put(String key, byte[] value) {
    if (value.length > KvStore.MAX_VALUE_BYTES) {
      return HttpResponse.json(413, KvJson.error("the value is over " + KvStore.MAX_VALUE_BYTES + " bytes"));
    }
    Version version;
    try {
      version = store.put(key, value);
    } catch (KvStore.StoreFullException e) {
      return HttpResponse.json(507, KvJson.error(e.getMessage() + "; only existing keys can be written"));
    }
    boolean gossiped = true;
    try {
      node.get().broadcast(KvModule.KV, KvCodec.encode(new KvWrite(key, value, version)), false, null);
    } catch (GossipException e) {
      // Queue full or node stopping: the write is kept here, and anti-entropy spreads it.
      log.debug("write of {} not gossiped: {}", key, e.toString());
      gossiped = false;
    }
    return HttpResponse.json(200, KvJson.written(key, version, gossiped));
  }

  private HttpResponse get(String key) {
    return store.get(key)
        .map(e -> new HttpResponse(200, Map.of(
            "content-type", List.of("text/plain; charset=utf-8"),
            "kv-version", List.of(e.version().toString())), e.value()))
        .orElseGet(() -> HttpResponse.json(404, KvJson.error("no such key: " + key)));
  }

  private HttpResponse snapshot(HttpRequest request) {
    Map<String, String> query;
    try {
      query = query(request.query());
    } catch (IllegalArgumentException e) {
      return HttpResponse.json(400, KvJson.error("bad query: " + e.getMessage()));
    }
    String after = query.get("after");
    int limit = KvJson.MAX_PAGE_ENTRIES;
    String l = query.get("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 0 || limit > KvJson.MAX_PAGE_ENTRIES) {
        return HttpResponse.json(400, KvJson.error("limit must be 0.." + KvJson.MAX_PAGE_ENTRIES));
      }
    }
    return HttpResponse.json(200, KvJson.page(store, after, limit));
  }

  /** Decodes a query string ({@code a=1&b=x%20y}); the last of a repeated name wins. */
  static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(name, value);
    }
    return out;
  }
}
