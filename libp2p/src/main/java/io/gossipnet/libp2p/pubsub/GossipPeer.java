package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Direction;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.encoding.Varint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One remote pubsub peer: its topics, its state in our router, and its outbound queue. Router
 * fields are guarded by the router's lock; the queue by this object's monitor. A virtual thread
 * drains the queue into the peer's outbound stream, our own RPCs before forwards, so a slow peer
 * only fills its own queue.
 */
final class GossipPeer {
  final PeerId id;
  final Connection connection;
  final Set<String> topics = new HashSet<>();
  /** IDs the peer told us not to send (IDONTWANT), with the heartbeat they expire at. */
  final Map<MessageKey, Long> dontWant = new HashMap<>();
  volatile String protocol;
  int ihaveThisHeartbeat;
  int askedThisHeartbeat;

  private final int capacity;
  private final ArrayDeque<byte[]> own = new ArrayDeque<>();
  private final ArrayDeque<byte[]> forwards = new ArrayDeque<>();
  private Stream out;
  private boolean closed;

  GossipPeer(PeerId id, Connection connection, int capacity) {
    this.id = id;
    this.connection = connection;
    this.capacity = capacity;
  }

  boolean outbound() {
    return connection.direction() == Direction.OUTBOUND;
  }

  boolean hasStream() {
    return protocol != null;
  }

  boolean isFloodsub() {
    return GossipSub.FLOODSUB.equals(protocol);
  }

  boolean supportsIDontWant() {
    return GossipSub.MESHSUB_V12.equals(protocol);
  }

  boolean supportsBackoff() {
    return GossipSub.MESHSUB_V12.equals(protocol) || GossipSub.MESHSUB_V11.equals(protocol);
  }

  /**
   * Queues one RPC. Ours (publishes and control) go first and may evict a forward when the queue
   * is full; a forward that does not fit is dropped. Returns false when dropped.
   */
  synchronized boolean enqueue(byte[] rpc, boolean ownMessage) {
    if (closed) {
      return false;
    }
    if (own.size() + forwards.size() >= capacity) {
      if (!ownMessage || forwards.pollFirst() == null) {
        return false;
      }
    }
    (ownMessage ? own : forwards).addLast(rpc);
    notifyAll();
    return true;
  }

  synchronized int queued() {
    return own.size() + forwards.size();
  }

  /** Starts the writer on {@code stream}; {@code onFailure} runs once when writing fails. */
  void startWriter(Stream stream, Consumer<GossipPeer> onFailure) {
    synchronized (this) {
      this.out = stream;
    }
    Thread.ofVirtual().name("gossipsub-writer-" + id).start(() -> {
      try {
        OutputStream os = stream.out();
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        while (true) {
          batch.reset();
          synchronized (this) {
            while (own.isEmpty() && forwards.isEmpty() && !closed) {
              wait();
            }
            if (closed) {
              return;
            }
            // batch up to 64 KiB of queued RPCs into one write
            while (batch.size() < 65536 && (!own.isEmpty() || !forwards.isEmpty())) {
              byte[] rpc = own.isEmpty() ? forwards.pollFirst() : own.pollFirst();
              Varint.write(batch, rpc.length);
              batch.writeBytes(rpc);
            }
          }
          os.write(batch.toByteArray());
          os.flush();
        }
      } catch (IOException | RuntimeException e) {
        onFailure.accept(this);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  void close() {
    Stream s;
    synchronized (this) {
      closed = true;
      own.clear();
      forwards.clear();
      notifyAll();
      s = out;
    }
    if (s != null) {
      s.reset();
    }
  }

  @Override
  public String toString() {
    return id + " " + protocol;
  }
}
