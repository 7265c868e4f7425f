package io.gossipnet.testcontainers;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.http.HttpClient;
import io.gossipnet.libp2p.http.HttpRequest;
import io.gossipnet.libp2p.http.HttpResponse;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test JVM as a libp2p peer that talks HTTP to P2P nodes, as any user of a P2P node would: one
 * dial-only libp2p {@link Host} of the {@code libp2p} module (a fresh Ed25519 identity; TCP, Noise,
 * Yamux), which dials a node at its mapped port with the node's peer ID (the Noise handshake proves
 * it is that node) and sends each request on its own {@value io.gossipnet.libp2p.http.HttpServer#PROTOCOL}
 * stream, where the node serves its router under {@code /algorand-http/1.0.0}.
 *
 * <p>This host opens no gossip stream and takes none, so the node never counts it as a peer. One
 * host serves the whole test JVM; it is closed when the JVM exits.
 */
public final class Libp2pHttpClient {
  private static final Logger LOG = LoggerFactory.getLogger(Libp2pHttpClient.class);
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  private static final long MAX_BODY = 16L * 1024 * 1024;
  private static Host host;

  private Libp2pHttpClient() {}

  /**
   * Sends one request to the node at {@code address}, over the open connection to its peer if
   * there is one, else over a new one. A failed request closes the connections to that peer, so
   * that the next one dials again (a node that was restarted is at a new mapped port).
   *
   * @param address {@code /ip4|dns4/HOST/tcp/PORT/p2p/<peer ID>} of the node as the test host reaches it
   * @param request the request
   * @return the node's response
   * @throws IOException if the node cannot be dialed or does not answer
   */
  public static HttpResponse send(Multiaddr address, HttpRequest request) throws IOException {
    PeerId peer = address.peerId().orElseThrow(() -> new IllegalArgumentException("no /p2p/<id> in " + address));
    Host h = host();
    try {
      Connection connection = h.dial(address).get(DIAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new HttpClient(READ_TIMEOUT, MAX_BODY).send(connection, request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while talking to " + address, e);
    } catch (ExecutionException e) {
      h.closePeer(peer);
      throw new IOException("cannot dial " + address + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      h.closePeer(peer);
      throw new IOException("cannot dial " + address + " within " + DIAL_TIMEOUT.toMillis() + " ms", e);
    } catch (IOException | RuntimeException e) {
      h.closePeer(peer);
      throw e;
    }
  }

  /**
   * The test JVM's peer ID, as the nodes see it.
   *
   * @return the peer ID of the shared host
   */
  public static PeerId peerId() {
    return host().peerId();
  }

  private static synchronized Host host() {
    if (host == null) {
      Host h;
      try {
        h = Host.builder().build().start();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot start the test JVM's libp2p host", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(h::close, "libp2p-http-client-close"));
      LOG.info("test libp2p host {} (dial-only) ready", h.peerId().toBase58());
      host = h;
    }
    return host;
  }
}
