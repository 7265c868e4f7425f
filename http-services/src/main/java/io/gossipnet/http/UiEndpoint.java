package io.gossipnet.http;

import io.gossipnet.core.http.HttpHandler;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The live status page: {@code <uiPath>} serves {@code index.html}, {@code <uiPath>/<asset>} its
 * script and style sheet, all packed in the jar (no CDN). The page polls the node's peers and
 * metrics endpoints once a second, over whichever transport served it, and draws the peers (with
 * direction, transport, address, queue depths, message and byte rates), the disconnect counters by
 * reason and the mesh this node sees. Only the listed assets are served; any other name is 404.
 */
final class UiEndpoint implements HttpHandler {
  private static final String RESOURCES = "/io/gossipnet/http/ui/";
  private static final Map<String, String> ASSETS =
      Map.of("index.html", "text/html; charset=utf-8", "ui.js", "text/javascript; charset=utf-8", "ui.css", "text/css; charset=utf-8");

  private final Map<String, byte[]> bodies;

  UiEndpoint(String uiPath, String peersPath, String metricsPath, String genesisId) {
    String index = new String(load("index.html"), StandardCharsets.UTF_8)
        .replace("{{uiPath}}", uiPath)
        .replace("{{peersPath}}", peersPath.replace("{genesisID}", genesisId))
        .replace("{{metricsPath}}", metricsPath.replace("{genesisID}", genesisId))
        .replace("{{genesisId}}", escape(genesisId));
    Map<String, byte[]> loaded = new java.util.HashMap<>();
    for (String asset : ASSETS.keySet()) {
      loaded.put(asset, asset.equals("index.html") ? index.getBytes(StandardCharsets.UTF_8) : load(asset));
    }
    this.bodies = Map.copyOf(loaded);
  }

  private static byte[] load(String name) {
    try (InputStream in = UiEndpoint.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("the status page's " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    String asset = request.pathVariables().getOrDefault("asset", "index.html");
    byte[] body = bodies.get(asset);
    if (body == null) {
      return HttpResponse.text(404, "no such asset");
    }
    return new HttpResponse(200, Map.of("content-type", List.of(ASSETS.get(asset)), "cache-control", List.of("no-cache"),
        "x-content-type-options", List.of("nosniff")), body);
  }
}
