package io.gossipnet.core.memory;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.core.http.HttpRouter;
import io.gossipnet.core.http.PeerHttpClient;
import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.core.identity.IdentityChallengeScheme;
import io.gossipnet.core.identity.IdentityException;
import io.gossipnet.core.spi.HandshakeException;
import io.gossipnet.core.spi.HttpHosting;
import io.gossipnet.core.spi.PeerHandshake;
import io.gossipnet.core.spi.Transport;
import io.gossipnet.core.spi.TransportContext;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Transport} whose connections are in-memory links of a {@link MemoryNetwork}. Its
 * handshake makes the same decisions as the WebSocket one, in the same order: gossip enabled,
 * incoming limits, genesis ID, self-connection (node random), then the identity challenge; a
 * refusal fails the dial with a {@link HandshakeException} carrying the WS status code.
 */
public final class MemoryTransport implements Transport {
  /** The protocol version the in-memory handshake reports. */
  public static final String PROTOCOL_VERSION = "2.2";

  private final MemoryNetwork network;
  private final String address;
  private volatile HttpRouter router;
  private volatile TransportContext context;
  private volatile boolean listening;

  MemoryTransport(MemoryNetwork network, String address) {
    this.network = network;
    this.address = address;
  }

  @Override
  public String networkType() {
    return "mem";
  }

  @Override
  public void start(TransportContext context) {
    this.context = context;
    NetworkConfig c = context.config();
    // As the other transports: an empty listen address means the node does not listen.
    if (!c.listenAddress().isEmpty() && c.incomingConnectionsLimit() > 0) {
      network.listen(address, this);
      listening = true;
    }
  }

  @Override
  public void stop() {
    if (listening) {
      network.unlisten(address, this);
      listening = false;
    }
  }

  @Override
  public Optional<String> listenAddress() {
    return listening ? Optional.of(address) : Optional.empty();
  }

  /** This transport's own address ({@code mem://name}), listening or not. */
  public String localAddress() {
    return address;
  }

  @Override
  public String canonicalAddress(String a) {
    if (a == null || a.isEmpty()) {
      return "";
    }
    return a.startsWith("mem://") ? a : "mem://" + a;
  }

  @Override
  public CompletableFuture<EstablishedConnection> dial(String target) {
    try {
      return CompletableFuture.completedFuture(handshake(canonicalAddress(target)));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private EstablishedConnection handshake(String target) throws IOException {
    TransportContext local = context;
    if (local == null) {
      throw new IOException("transport not started");
    }
    MemoryTransport remote = network.lookup(target);
    if (remote == null || remote.context == null) {
      throw new IOException("connection refused: nothing listens at " + target);
    }
    TransportContext rc = remote.context;
    switch (rc.admitIncoming(hostOf(address))) {
      case GOSSIP_DISABLED -> throw new HandshakeException("gossip service disabled", 404, null);
      case TOTAL_LIMIT -> throw new HandshakeException("incoming connection limit", 503, null);
      case PER_IP_LIMIT -> throw new HandshakeException("incoming connection per-IP limit", 503, null);
      case OK -> {}
    }
    if (!rc.config().genesisId().equals(local.config().genesisId())) {
      throw new HandshakeException("mismatching genesis ID", 412, null);
    }
    if (Arrays.equals(rc.nodeRandom(), local.nodeRandom())) {
      throw new HandshakeException("connection to self", 508, null);
    }
    HandshakeIdentity dialerSide = HandshakeIdentity.NONE;
    HandshakeIdentity acceptorSide = HandshakeIdentity.NONE;
    IdentityChallengeScheme mine = local.identity();
    IdentityChallengeScheme theirs = rc.identity();
    if (mine != null) {
      IdentityChallengeScheme.Challenge ch = mine.createChallenge(target);
      String responseHeader = null;
      if (theirs != null) {
        try {
          IdentityChallengeScheme.ChallengeReply reply = theirs.verifyRequestAndAttachResponse(ch.headerValue());
          responseHeader = reply.headerValue();
          acceptorSide = reply.identity();
        } catch (IdentityException e) {
          throw new HandshakeException("identity challenge refused: " + e.getMessage(), 412, null);
        }
      }
      try {
        dialerSide = mine.verifyResponse(responseHeader, ch);
      } catch (IdentityException e) {
        throw new IOException("bad identity response: " + e.getMessage(), e);
      }
    }
    MemoryConnection[] ends =
        MemoryConnection.pair(
            address, target, network.conditionsFor(address, target), network.conditionsFor(target, address));
    network.recordLink(ends[0]);
    rc.acceptIncoming(ends[1], new PeerHandshake(PROTOCOL_VERSION, Set.of(), "", "", acceptorSide));
    return new EstablishedConnection(ends[0], new PeerHandshake(PROTOCOL_VERSION, Set.of(), "", "", dialerSide));
  }

  /**
   * Connects a {@link StubPeer} to this transport as an incoming connection, after the same
   * admission check a dial gets, and returns the stub's end.
   */
  MemoryConnection acceptStub(String fromAddress, PeerHandshake handshake) throws IOException {
    TransportContext rc = context;
    if (rc == null || !listening) {
      throw new IOException("connection refused: " + address + " is not listening");
    }
    switch (rc.admitIncoming(hostOf(fromAddress))) {
      case GOSSIP_DISABLED -> throw new HandshakeException("gossip service disabled", 404, null);
      case TOTAL_LIMIT -> throw new HandshakeException("incoming connection limit", 503, null);
      case PER_IP_LIMIT -> throw new HandshakeException("incoming connection per-IP limit", 503, null);
      case OK -> {}
    }
    MemoryConnection[] ends =
        MemoryConnection.pair(fromAddress, address, network.conditionsFor(fromAddress, address), network.conditionsFor(address, fromAddress));
    network.recordLink(ends[0]);
    rc.acceptIncoming(ends[1], handshake);
    return ends[0];
  }

  private static String hostOf(String a) {
    return a.startsWith("mem://") ? a.substring("mem://".length()) : a;
  }

  @Override
  public HttpHosting http() {
    return new HttpHosting() {
      @Override
      public void serve(HttpRouter r) {
        router = r;
      }

      @Override
      public PeerHttpClient client(String target) {
        String canonical = canonicalAddress(target);
        return new PeerHttpClient() {
          @Override
          public String address() {
            return canonical;
          }

          @Override
          public HttpResponse send(HttpRequest request) throws IOException {
            MemoryTransport remote = network.lookup(canonical);
            if (remote == null) {
              throw new IOException("connection refused: nothing listens at " + canonical);
            }
            return remote.serve(request);
          }
        };
      }
    };
  }

  private HttpResponse serve(HttpRequest request) throws IOException {
    HttpRouter r = router;
    if (r == null) {
      return HttpResponse.text(404, "not found");
    }
    // What a wire would do: header names in lower case, the body a copy of the sender's.
    Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
    request.headers().forEach((k, v) -> headers.computeIfAbsent(k.toLowerCase(java.util.Locale.ROOT), x -> new java.util.ArrayList<>()).addAll(v));
    HttpRequest wire = new HttpRequest(request.method(), request.path(), request.query(), headers, Map.of(), request.body().clone());
    try {
      return r.serve(wire).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("request to " + address + " interrupted");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("request to " + address + " failed", e.getCause());
    }
  }

}
