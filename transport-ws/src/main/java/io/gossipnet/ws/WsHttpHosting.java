package io.gossipnet.ws;

import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.core.http.HttpRouter;
import io.gossipnet.core.http.PeerHttpClient;
import io.gossipnet.core.spi.HttpHosting;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * HTTP on the WebSocket transport. The server side is a byte adapter around the node's {@link
 * HttpRouter}: Jetty parses the head, the router refuses (404, 405, 413 on the declared length)
 * before any of the body is read, and a matched route reads the bounded body and runs its handler
 * on a virtual thread. The client side sends through the transport's own Jetty client, so peer
 * HTTP requests use the same TLS trust settings, connect timeout and user agent as the WebSocket
 * dialer; the engine wraps it with the per-address rate limit.
 */
final class WsHttpHosting implements HttpHosting {
  /** Headers the client computes itself and never takes from callers. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "user-agent");

  private final WsConfig ws;
  private volatile HttpRouter router;
  private volatile HttpClient client;

  WsHttpHosting(WsConfig ws) {
    this.ws = ws;
  }

  /** Sends peer requests through {@code jetty}, the transport's started client. */
  void startClient(HttpClient jetty) {
    client = jetty;
  }

  void stop() {
    client = null;
  }

  @Override
  public void serve(HttpRouter r) {
    router = r;
  }

  @Override
  public int maxRequestBodyBytes() {
    return ws.maxRequestBodySize();
  }

  /** Serves a request that is not for the gossip endpoint. Runs on a Jetty thread; never blocks. */
  void serve(Request request, Response response, Callback callback, String path) {
    HttpRouter r = router;
    if (r == null) {
      WsTransport.writeText(response, callback, 404, "not found");
      return;
    }
    HttpRouter.Routing routing = r.route(request.getMethod(), path, request.getLength());
    if (routing instanceof HttpRouter.Refused refused) {
      // The body was not read: Jetty may close the connection rather than drain it, so the
      // client is told not to send another request on it.
      write(response, callback, refused.response(), request.getLength() != 0);
      return;
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField f : request.getHeaders()) {
      headers.computeIfAbsent(f.getLowerCaseName(), k -> new ArrayList<>()).add(f.getValue());
    }
    String query = request.getHttpURI().getQuery();
    ((HttpRouter.Matched) routing)
        .run(query, headers, max -> {
          try (InputStream in = Content.Source.asInputStream(request)) {
            return in.readNBytes(max);
          }
        })
        .thenAccept(res -> write(response, callback, res, res.status() == 413));
  }

  /**
   * Writes {@code res}; with {@code close}, with {@code Connection: close} (a request whose body was
   * left unread, or read only up to the limit, leaves the connection unusable for the next one).
   */
  private static void write(Response response, Callback callback, HttpResponse res, boolean close) {
    response.setStatus(res.status());
    if (close) {
      response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONNECTION, org.eclipse.jetty.http.HttpHeaderValue.CLOSE.asString());
    }
    res.headers().forEach((name, values) -> {
      for (String v : values) {
        response.getHeaders().add(name, v);
      }
    });
    response.write(true, ByteBuffer.wrap(res.body()), callback);
  }

  @Override
  public PeerHttpClient client(String address) {
    String canonical = WsAddresses.canonical(address);
    String key = address.trim();
    return new PeerHttpClient() {
      // The address as given: it is the key of the engine's per-address rate limit (the phonebook's).
      @Override
      public String address() {
        return key;
      }

      @Override
      public HttpResponse send(HttpRequest request) throws IOException {
        HttpClient c = client;
        if (c == null) {
          throw new IOException("transport not started");
        }
        if (!request.path().startsWith("/")) {
          throw new IOException("request path must start with '/': " + request.path());
        }
        URI uri = URI.create(canonical + request.path() + (request.query().isEmpty() ? "" : "?" + request.query()));
        // A pooled connection may have been closed by the server (after a refusal it answered
        // with Connection: close) before the client's pool noticed: a request that fails before its
        // head is written never reached the server, so it is sent again, whatever its method,
        // after a short pause that lets the pool drop the dead connection.
        for (int attempt = 1; ; attempt++) {
          try {
            return exchange(c, uri, request);
          } catch (UnsentRequestException e) {
            if (attempt == UNSENT_ATTEMPTS) {
              throw e;
            }
            try {
              Thread.sleep(10L * attempt * attempt);
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
              throw new InterruptedIOException("request to " + canonical + " interrupted");
            }
          }
        }
      }

      private HttpResponse exchange(HttpClient c, URI uri, HttpRequest request) throws IOException {
        java.util.concurrent.atomic.AtomicBoolean committed = new java.util.concurrent.atomic.AtomicBoolean();
        org.eclipse.jetty.client.Request out =
            c.newRequest(uri)
                .method(request.method())
                .timeout(ws.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false);
        if (request.body().length > 0) {
          out.body(new BytesRequestContent(request.body()));
        }
        out.headers(h -> request.headers().forEach((name, values) -> {
          if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
            for (String v : values) {
              h.add(name, v);
            }
          }
        }));
        out.onRequestCommit(x -> committed.set(true));
        ContentResponse r;
        try {
          r = new CompletableResponseListener(out, ws.maxResponseBodySize()).send().get();
        } catch (InterruptedException e) {
          out.abort(e);
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("request to " + canonical + " interrupted");
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (!committed.get() && (cause instanceof org.eclipse.jetty.io.EofException || cause instanceof java.nio.channels.ClosedChannelException)) {
            throw new UnsentRequestException(cause);
          }
          if (cause instanceof IllegalArgumentException) {
            // Jetty's buffering listener refuses content past its capacity this way.
            throw new IOException("response from " + canonical + " is over " + ws.maxResponseBodySize() + " bytes", cause);
          }
          if (cause instanceof TimeoutException) {
            throw new IOException("request to " + canonical + " timed out after " + ws.handshakeTimeout().toMillis() + " ms", cause);
          }
          throw cause instanceof IOException io ? io : new IOException("request to " + canonical + " failed: " + cause, cause);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField f : r.getHeaders()) {
          headers.computeIfAbsent(f.getLowerCaseName(), k -> new ArrayList<>()).add(f.getValue());
        }
        return new HttpResponse(r.getStatus(), headers, r.getContent());
      }
    };
  }

  /** How many times a request that failed before its head was written is tried in all. */
  private static final int UNSENT_ATTEMPTS = 4;

  /** A request that failed before its head was written: the server saw none of it. */
  private static final class UnsentRequestException extends IOException {
    UnsentRequestException(Throwable cause) {
      super("request not sent: " + cause, cause);
    }
  }
}
