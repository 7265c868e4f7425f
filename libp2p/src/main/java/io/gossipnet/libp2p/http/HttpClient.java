package io.gossipnet.libp2p.http;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.Stream;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client side of HTTP over libp2p: one request per {@value HttpServer#PROTOCOL} stream. It
 * half-closes after the response head (as js-libp2p does) and reads content-length, chunked or
 * EOF-delimited bodies up to a limit.
 */
public final class HttpClient {
  /** Default largest response body. */
  public static final long DEFAULT_MAX_BODY = 16L * 1024 * 1024;
  private final Duration timeout;
  private final long maxBody;

  /** A client with a 30 s read timeout and the default body limit. */
  public HttpClient() {
    this(Duration.ofSeconds(30), DEFAULT_MAX_BODY);
  }

  /** A client with the given read timeout and body limit. */
  public HttpClient(Duration timeout, long maxBody) {
    this.timeout = timeout;
    this.maxBody = maxBody;
  }

  /** Sends {@code request} to the peer of {@code connection}. */
  public HttpResponse send(Connection connection, HttpRequest request) throws IOException {
    Stream s = connection.newStream(HttpServer.PROTOCOL).join();
    try {
      s.setReadTimeout(timeout);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      headers.put("host", List.of(connection.remotePeerId().toCidBase36()));
      headers.putAll(request.headers());
      headers.put("connection", List.of("close"));
      boolean hasBody = request.body().length > 0 || !request.method().equals("GET");
      if (hasBody && !request.headers().containsKey("transfer-encoding")) {
        headers.put("content-length", List.of(String.valueOf(request.body().length)));
      }
      // Head and body go out as separate frames: js-libp2p's server (@libp2p/http-utils 2.0.6)
      // loses body bytes that arrive in the same message as the head.
      s.out().write(HttpWire.encode(request.method() + " " + request.target() + " HTTP/1.1", headers,
          new byte[0], false));
      if (request.body().length > 0) {
        s.out().write(request.body());
      }
      HttpWire.Head head = HttpWire.readHead(s.in());
      if (head == null) {
        throw new Libp2pException("stream ended before the HTTP response");
      }
      s.closeWrite();
      int status;
      try {
        status = Integer.parseInt(head.startLine()[1]);
      } catch (NumberFormatException e) {
        throw new Libp2pException("malformed HTTP status line " + String.join(" ", head.startLine()));
      }
      byte[] body = request.method().equals("HEAD") || status == 204 || status == 304
          ? new byte[0] : HttpWire.readBody(s.in(), head, maxBody, true);
      s.close();
      return new HttpResponse(status, head.headers(), body);
    } catch (IOException | RuntimeException e) {
      s.reset();
      throw e;
    }
  }
}
