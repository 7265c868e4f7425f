package io.gossipnet.benchmarks.ws;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The baseline: a minimal Jetty 12 core WebSocket server and client, no framework. The server
 * counts binary frames; the client sends with {@code sendFrame(frame, callback, batch)} and, when
 * batching, one {@code flush} per batch of queued messages.
 */
final class RawJetty implements AutoCloseable {
  final AtomicLong received = new AtomicLong();
  final AtomicLong receivedBytes = new AtomicLong();
  private final Server server = new Server();
  private final WebSocketCoreClient client = new WebSocketCoreClient();
  private CoreSession session;

  /** A server and a connected client; {@code bufferSize} 0 keeps Jetty's default buffers. */
  RawJetty(int bufferSize) throws Exception {
    ServerConnector c = new ServerConnector(server, 1, 1);
    c.setHost("127.0.0.1");
    c.setPort(0);
    server.addConnector(c);
    WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler();
    org.eclipse.jetty.websocket.core.Configuration.ConfigurationCustomizer cfg = new org.eclipse.jetty.websocket.core.Configuration.ConfigurationCustomizer();
    cfg.setMaxFrameSize(8 << 20);
    if (bufferSize > 0) {
      cfg.setInputBufferSize(bufferSize);
      cfg.setOutputBufferSize(bufferSize);
    }
    ws.addMapping("/raw", new WebSocketNegotiator.AbstractNegotiator(cfg) {
      @Override
      public FrameHandler negotiate(org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest req,
          org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse resp, Callback cb) {
        return new Counter();
      }
    });
    server.setHandler(ws);
    server.start();
    client.start();
    org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest r =
        org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest.from(client, URI.create("ws://127.0.0.1:" + c.getLocalPort() + "/raw"), new Sink());
    r.setConfiguration(new org.eclipse.jetty.websocket.core.Configuration.ConfigurationCustomizer() {
      {
        setMaxFrameSize(8 << 20);
        if (bufferSize > 0) {
          setInputBufferSize(bufferSize);
          setOutputBufferSize(bufferSize);
        }
      }
    });
    session = client.connect(r).get();
  }

  /** A raw client only, connected to a gossipnet node's gossip endpoint with valid handshake headers. */
  RawJetty(java.net.URI gossipUri, String genesis) throws Exception {
    client.start();
    org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest r =
        org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest.from(client, gossipUri, new Sink());
    r.setConfiguration(new org.eclipse.jetty.websocket.core.Configuration.ConfigurationCustomizer() {
      {
        setMaxFrameSize(8 << 20);
        setInputBufferSize(io.gossipnet.ws.WsConfig.DEFAULT_IO_BUFFER_SIZE);
        setOutputBufferSize(io.gossipnet.ws.WsConfig.DEFAULT_IO_BUFFER_SIZE);
      }
    });
    byte[] random = new byte[10];
    new java.security.SecureRandom().nextBytes(random);
    r.headers(h -> {
      h.put("X-Algorand-NodeRandom", java.util.Base64.getEncoder().encodeToString(random));
      h.put("X-Algorand-Accept-Version", "2.2");
      h.put("X-Algorand-Version", "2.2");
      h.put("X-Algorand-Genesis", genesis);
    });
    session = client.connect(r).get();
  }

  /** Queues messages as binary frames; with {@code batch}, one flush for all of them. */
  void send(byte[][] messages, int count, boolean batch) {
    for (int i = 0; i < count; i++) {
      session.sendFrame(new Frame(OpCode.BINARY, ByteBuffer.wrap(messages[i])), Callback.NOOP, batch);
    }
    if (batch) {
      session.flush(Callback.NOOP);
    }
  }

  @Override
  public void close() throws java.io.IOException {
    session.close(CloseStatus.NORMAL, "done", Callback.NOOP);
    try {
      client.stop();
      if (server.isStarted()) {
        server.stop();
      }
    } catch (Exception e) {
      throw new java.io.IOException("stopping raw Jetty failed", e);
    }
  }

  /** Server side: counts messages, demands the next frame at once. */
  private final class Counter implements FrameHandler {
    private CoreSession s;

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
      s = coreSession;
      callback.succeeded();
      s.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
      if (frame.getOpCode() == OpCode.BINARY || frame.getOpCode() == OpCode.CONTINUATION) {
        receivedBytes.addAndGet(frame.getPayloadLength());
        if (frame.isFin()) {
          received.incrementAndGet();
        }
      }
      callback.succeeded();
      s.demand();
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
      callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
      callback.succeeded();
    }
  }

  /** Client side: reads nothing but control frames. */
  private static final class Sink implements FrameHandler {
    private CoreSession s;

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
      s = coreSession;
      callback.succeeded();
      s.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
      callback.succeeded();
      s.demand();
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
      callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
      callback.succeeded();
    }
  }
}
