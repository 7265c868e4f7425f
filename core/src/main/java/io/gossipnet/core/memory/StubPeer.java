package io.gossipnet.core.memory;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import io.gossipnet.core.spi.InboundMessage;
import io.gossipnet.core.spi.PeerHandshake;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven peer for tests: it connects to a node of a {@link MemoryNetwork} without running
 * an engine of its own, sends whatever frames the test wants (well-formed or not) and records
 * every frame the node sends it. Received frames are read by a background virtual thread so the
 * node's writes never block unless the test {@link #stallReading() stalls} it.
 */
public final class StubPeer implements AutoCloseable {
  private final MemoryConnection conn;
  private final LinkedBlockingQueue<InboundMessage> received = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile boolean closedByRemote;

  private StubPeer(MemoryConnection conn, boolean autoRead) {
    this.conn = conn;
    this.reader = autoRead ? Thread.ofVirtual().name("stub-reader").start(this::readLoop) : null;
  }

  /** Connects to {@code target} (a {@code mem://} address) as {@code name}, reading in the background. */
  public static StubPeer connect(MemoryNetwork net, String name, String target) throws IOException {
    return connect(net, name, target, true);
  }

  /**
   * Connects to {@code target} as {@code name}.
   *
   * @param autoRead whether to read the node's frames in the background; without it nothing reads
   *     them and the node's writes block once the link buffer is full (a slow peer)
   */
  public static StubPeer connect(MemoryNetwork net, String name, String target, boolean autoRead) throws IOException {
    return connect(net, name, target, PeerHandshake.basic(MemoryTransport.PROTOCOL_VERSION), autoRead);
  }

  /**
   * Connects to {@code target} as {@code name}, as if the handshake had established {@code
   * handshake} (for example an identity the transport authenticated), reading in the background
   * when {@code autoRead}.
   */
  public static StubPeer connect(MemoryNetwork net, String name, String target, PeerHandshake handshake, boolean autoRead)
      throws IOException {
    MemoryTransport t = net.lookup(target);
    if (t == null) {
      throw new IOException("nothing listens at " + target);
    }
    MemoryConnection c = t.acceptStub("mem://" + name, handshake);
    return new StubPeer(c, autoRead);
  }

  private void readLoop() {
    try {
      while (true) {
        InboundMessage m = conn.read(code -> Tags.MAX_MESSAGE_LENGTH);
        if (m == null) {
          closedByRemote = true;
          return;
        }
        received.add(m);
      }
    } catch (IOException e) {
      closedByRemote = true;
    }
  }

  /** Sends a message with this tag and payload. */
  public void send(Tag tag, byte[] payload) throws IOException {
    byte[] f = new byte[payload.length + 2];
    f[0] = tag.firstByte();
    f[1] = tag.secondByte();
    System.arraycopy(payload, 0, f, 2, payload.length);
    sendRaw(f);
  }

  /** Sends a raw frame: two tag bytes and a payload, or anything else. */
  public void sendRaw(byte[] frame) throws IOException {
    conn.write(List.of(frame));
  }

  /** The next frame the node sent, waiting up to {@code timeout}; null if none came. */
  public InboundMessage receive(Duration timeout) throws InterruptedException {
    return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next frame with this tag, skipping others; null if none came in time. */
  public InboundMessage receive(Tag tag, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      InboundMessage m = received.poll(left, TimeUnit.NANOSECONDS);
      if (m == null) {
        return null;
      }
      if (m.tagCode() == tag.code()) {
        return m;
      }
    }
  }

  /** Every frame received so far, removed from the queue. */
  public List<InboundMessage> drain() {
    List<InboundMessage> out = new ArrayList<>();
    received.drainTo(out);
    return out;
  }

  /** Stops reading: the node's writes to this peer will block once the link buffer is full. */
  public void stallReading() {
    conn.stallIncoming(true);
  }

  /** Resumes reading. */
  public void resumeReading() {
    conn.stallIncoming(false);
  }

  /** Whether the node closed the connection. */
  public boolean isClosed() {
    return closedByRemote || conn.isClosed();
  }

  /** This stub's end of the link. */
  public MemoryConnection connection() {
    return conn;
  }

  @Override
  public void close() {
    conn.close(DisconnectReason.DISCONNECT_REQUEST, Duration.ZERO);
    if (reader != null) {
      reader.interrupt();
    }
  }
}
