package io.gossipnet.core.engine;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.DisconnectablePeer;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.HttpPeer;
import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.IpAddressablePeer;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.PeerConnectionInfo;
import io.gossipnet.core.PeerTraffic;
import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import io.gossipnet.core.Topic;
import io.gossipnet.core.Topics;
import io.gossipnet.core.UnicastPeer;
import io.gossipnet.core.filter.Digest;
import io.gossipnet.core.filter.MessageFilter;
import io.gossipnet.core.http.PeerHttpClient;
import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.core.interest.MalformedInterestException;
import io.gossipnet.core.interest.MessageOfInterest;
import io.gossipnet.core.interest.TagSet;
import io.gossipnet.core.spi.InboundMessage;
import io.gossipnet.core.spi.MessageConnection;
import io.gossipnet.core.spi.MessageTooLargeException;
import io.gossipnet.core.spi.PeerHandshake;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected peer and its two loops. The name is the seed's ({@code wsPeer}); the class is
 * transport-neutral and runs over any {@link MessageConnection}.
 *
 * <p><b>Read loop</b>: reads a message (the transport checks the tag's size limit before it buffers
 * the payload), handles the control tags {@code MI}, {@code MS} and {@code TS} here, drops unknown
 * tags and duplicates, then waits for one of this peer's fairness tokens (at most {@code
 * messagesPerPeerInReadBuffer} of its messages wait in the shared read buffer) and hands the
 * message to the handler threads.
 *
 * <p><b>Write loop</b>: takes every queued message at once (high priority first), drops those the
 * peer did not ask for (message of interest), closes the peer if one waited longer than {@code
 * maxMessageQueueDuration}, and hands the batch to {@link MessageConnection#write} so the
 * transport can flush once.
 *
 * <p><b>Close</b> happens once, with a reason: the engine is told, queued messages are released
 * ({@code onRelease}), the connection is closed and pending requests fail.
 */
public final class WsPeer
    implements DisconnectablePeer, UnicastPeer, HttpPeer, IpAddressablePeer, PeerConnectionInfo, PeerTraffic {
  private static final Logger log = LoggerFactory.getLogger(WsPeer.class);
  private static final int MAX_WRITE_BATCH = 512;
  private static final VarHandle MESSAGES_IN;
  private static final VarHandle BYTES_IN;
  private static final VarHandle MESSAGES_OUT;
  private static final VarHandle BYTES_OUT;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      MESSAGES_IN = l.findVarHandle(WsPeer.class, "messagesIn", long.class);
      BYTES_IN = l.findVarHandle(WsPeer.class, "bytesIn", long.class);
      MESSAGES_OUT = l.findVarHandle(WsPeer.class, "messagesOut", long.class);
      BYTES_OUT = l.findVarHandle(WsPeer.class, "bytesOut", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final NetworkEngine net;
  private final MessageConnection conn;
  private final PeerHandshake handshake;
  private final PriorityQueuePair<OutboundMessage> sendQueue;
  private final MessageFilter outgoingFilter;
  private final Semaphore fairness;
  private final java.util.function.LongSupplier clock;
  private final long createNanos;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<DisconnectReason> closeFuture = new CompletableFuture<>();
  private final AtomicLong requestNonce = new AtomicLong();
  private final AtomicInteger outstandingTopicRequests = new AtomicInteger();
  private final ConcurrentHashMap<Long, CompletableFuture<Topics>> responseWaiters =
      new ConcurrentHashMap<>();
  private final List<Runnable> closers = new ArrayList<>();

  private volatile long lastPacketNanos;
  /** Enqueue time of the oldest message in the write in progress; 0 when no write is. */
  private volatile long writeInProgressSinceNanos;
  /** Tags the peer asked for; read and replaced by the write loop only. */
  private TagSet sendTags;

  private volatile long interestGeneration = -1;
  private volatile HandshakeIdentity.Pending pendingIdentity;
  private volatile byte[] identityKey;
  private volatile boolean identityVerified;
  private volatile Thread readThread;
  private volatile Thread writeThread;
  // PeerTraffic: each pair written by one loop only (plain read, opaque write: no fence, no
  // allocation), read by monitors with an opaque read (never torn, current within a message).
  @SuppressWarnings("unused")
  private long messagesIn;
  @SuppressWarnings("unused")
  private long bytesIn;
  @SuppressWarnings("unused")
  private long messagesOut;
  @SuppressWarnings("unused")
  private long bytesOut;

  WsPeer(NetworkEngine net, MessageConnection conn, PeerHandshake handshake) {
    this.net = net;
    this.conn = conn;
    this.handshake = handshake;
    this.clock = net.clock();
    this.createNanos = clock.getAsLong();
    this.lastPacketNanos = createNanos;
    var cfg = net.config();
    this.sendQueue = new PriorityQueuePair<>(cfg.peerSendQueueSize(), cfg.peerSendQueueSize());
    this.outgoingFilter =
        cfg.enableOutgoingMessageFiltering()
            ? new MessageFilter(cfg.outgoingFilterBuckets(), cfg.outgoingFilterBucketSize())
            : null;
    this.fairness = new Semaphore(cfg.messagesPerPeerInReadBuffer());
    this.sendTags = MessageOfInterest.defaultSendSet();
  }

  void start() {
    String name = (conn.outgoing() ? "out:" : "in:") + conn.remoteAddress();
    readThread = Thread.ofVirtual().name("gossipnet-read-" + name).start(this::readLoop);
    writeThread = Thread.ofVirtual().name("gossipnet-write-" + name).start(this::writeLoop);
  }

  // ---------------------------------------------------------------- read path

  private void readLoop() {
    DisconnectReason reason = DisconnectReason.READ_ERROR;
    try {
      while (!closed.get()) {
        InboundMessage in;
        try {
          in = conn.read(net.payloadLimit());
        } catch (MessageTooLargeException e) {
          log.info("peer {}: {}", conn.remoteAddress(), e.getMessage());
          reason = DisconnectReason.READ_ERROR;
          break;
        } catch (IOException e) {
          if (!closed.get()) {
            log.debug("peer {} read failed: {}", conn.remoteAddress(), e.toString());
          }
          reason = DisconnectReason.READ_ERROR;
          break;
        }
        if (in == null) {
          reason = DisconnectReason.DISCONNECT_REQUEST;
          break;
        }
        if (!onMessage(in)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // closing
    } catch (RuntimeException e) {
      log.warn("peer {} read loop failed", conn.remoteAddress(), e);
      reason = DisconnectReason.READ_ERROR;
    }
    close(reason);
  }

  /** Processes one received message; false if the peer was closed because of it. */
  private boolean onMessage(InboundMessage in) throws InterruptedException {
    long now = clock.getAsLong();
    lastPacketNanos = now;
    byte[] data = in.payload();
    net.metrics().messagesReceived.increment();
    net.metrics().bytesReceived.increment(data.length + 2);
    MESSAGES_IN.setOpaque(this, messagesIn + 1);
    BYTES_IN.setOpaque(this, bytesIn + data.length + 2);
    Tag tag = net.config().tags().lookup(in.tagCode());
    if (tag == null || tag.maxPayloadSize() == 0) {
      net.metrics().unknownTagMessages.increment();
      return true;
    }
    switch (tag.name()) {
      case "MI" -> {
        TagSet tags;
        try {
          tags = MessageOfInterest.decode(data, net.config().tags());
        } catch (MalformedInterestException e) {
          log.info("peer {} sent a bad message-of-interest: {}", conn.remoteAddress(), e.getMessage());
          close(DisconnectReason.BAD_DATA);
          return false;
        }
        if (!sendQueue.putPreferHigh(OutboundMessage.control(tags, clock.getAsLong()))) {
          return false;
        }
        return true;
      }
      case "MS" -> {
        if (data.length != Digest.LENGTH) {
          close(DisconnectReason.BAD_DATA);
          return false;
        }
        if (outgoingFilter != null) {
          Digest d = Digest.fromBytes(data);
          if (outgoingFilter.checkAndInsert(d)) {
            net.metrics().duplicateFilterReceived.increment();
          }
        }
        return true;
      }
      case "TS" -> {
        return onTopicResponse(data);
      }
      default -> {}
    }
    if (tag.dedupSafe() && net.incomingFilter() != null && net.incomingFilter().isDuplicate(tag, data)) {
      net.metrics().duplicateMessagesReceived.increment();
      net.metrics().duplicateBytesReceived.increment(data.length);
      return true;
    }
    fairness.acquire();
    IncomingMessage msg = new IncomingMessage(this, tag, data, net.owner(), now, conn.outgoing());
    if (!net.enqueueForHandlers(msg, this)) {
      fairness.release();
      return !closed.get();
    }
    return true;
  }

  private boolean onTopicResponse(byte[] data) {
    if (outstandingTopicRequests.decrementAndGet() < 0) {
      log.info("peer {} sent a topic response nobody asked for", conn.remoteAddress());
      close(DisconnectReason.UNEXPECTED_TOPIC_RESPONSE);
      return false;
    }
    Topics topics;
    long hash;
    try {
      topics = Topics.decode(data);
      byte[] h = topics.get(Topics.REQUEST_HASH_KEY).orElse(null);
      if (h == null) {
        close(DisconnectReason.BAD_DATA);
        return false;
      }
      hash = Topics.readUvarint(h);
    } catch (IllegalArgumentException e) {
      log.info("peer {} sent a malformed topic response: {}", conn.remoteAddress(), e.getMessage());
      close(DisconnectReason.BAD_DATA);
      return false;
    }
    CompletableFuture<Topics> waiter = responseWaiters.remove(hash);
    if (waiter == null || !waiter.complete(topics)) {
      net.metrics().lateTopicResponses.increment();
    }
    return true;
  }

  /** Called by a handler thread when it takes one of this peer's messages. */
  void messageTaken() {
    fairness.release();
  }

  // ---------------------------------------------------------------- write path

  /**
   * Queues a prepared message without blocking. A message the peer already announced (MS) counts as
   * sent.
   *
   * @return false if the queue was full (the caller counts the drop)
   */
  boolean writeNonBlock(OutboundMessage msg, boolean highPriority) {
    if (outgoingFilter != null
        && msg.filterable
        && msg.frame.length - 2 > net.config().messageFilterSize()
        && outgoingFilter.everInserted()
        && outgoingFilter.contains(msg.digest())) {
      net.metrics().outgoingFilteredOut.increment();
      net.metrics().outgoingFilteredOutBytes.increment(msg.frame.length);
      return true;
    }
    return sendQueue.offer(msg, highPriority);
  }

  private void writeLoop() {
    List<OutboundMessage> batch = new ArrayList<>(64);
    List<byte[]> frames = new ArrayList<>(64);
    long maxQueueNanos = net.config().maxMessageQueueDuration().toNanos();
    DisconnectReason reason = null;
    try {
      while (reason == null) {
        if (sendQueue.drainTo(batch, MAX_WRITE_BATCH, PriorityQueuePair.NO_TIMEOUT) == 0) {
          if (sendQueue.isClosed()) {
            break;
          }
          continue;
        }
        long now = clock.getAsLong();
        long oldest = 0;
        long bytes = 0;
        for (OutboundMessage m : batch) {
          if (m.controlTags != null) {
            sendTags = m.controlTags;
            continue;
          }
          if (m.frame.length - 2 > Tags.MAX_MESSAGE_LENGTH) {
            net.metrics().oversizedDropped.increment();
            continue;
          }
          // Message-of-interest covers the seed's tags only: an application's own tag is sent to
          // every peer (a peer that does not know it drops it; naming it in a list would make such
          // a peer disconnect, as the seed does for an unknown tag).
          if (!sendTags.contains(m.tagCode) && Tags.defaults().lookup(m.tagCode) != null) {
            net.metrics().unrequestedTagDropped.increment();
            continue;
          }
          if (now - m.enqueueNanos > maxQueueNanos) {
            reason = DisconnectReason.STALE_WRITE;
            break;
          }
          if (oldest == 0) {
            oldest = m.enqueueNanos;
          }
          frames.add(m.frame);
          bytes += m.frame.length;
        }
        if (reason == null && !frames.isEmpty()) {
          writeInProgressSinceNanos = oldest == 0 ? 1 : oldest;
          try {
            conn.write(frames);
          } catch (IOException e) {
            if (!closed.get()) {
              log.debug("peer {} write failed: {}", conn.remoteAddress(), e.toString());
            }
            reason = DisconnectReason.WRITE_ERROR;
          } finally {
            writeInProgressSinceNanos = 0;
          }
          if (reason == null) {
            lastPacketNanos = clock.getAsLong();
            net.metrics().messagesSent.increment(frames.size());
            net.metrics().bytesSent.increment(bytes);
            MESSAGES_OUT.setOpaque(this, messagesOut + frames.size());
            BYTES_OUT.setOpaque(this, bytesOut + bytes);
          }
        }
        for (OutboundMessage m : batch) {
          m.release();
        }
        batch.clear();
        frames.clear();
      }
    } catch (InterruptedException e) {
      // closing
    } catch (RuntimeException e) {
      log.warn("peer {} write loop failed", conn.remoteAddress(), e);
      reason = DisconnectReason.WRITE_ERROR;
    }
    for (OutboundMessage m : batch) {
      m.release();
    }
    if (reason != null) {
      close(reason);
    }
  }

  /** Queues a message-of-interest announcement at high priority, dropping it if the queue is full. */
  void sendMessageOfInterest(byte[] encoded, long generation) {
    OutboundMessage m =
        new OutboundMessage(OutboundMessage.frame(Tags.MI, encoded), Tags.MI.code(), false, clock.getAsLong(), null);
    if (sendQueue.offer(m, true)) {
      interestGeneration = generation;
    }
  }

  long interestGeneration() {
    return interestGeneration;
  }

  /** Queues a message at high priority, waiting for room (used for the identity message). */
  void sendControl(Tag tag, byte[] payload) {
    OutboundMessage m = new OutboundMessage(OutboundMessage.frame(tag, payload), tag.code(), false, clock.getAsLong(), null);
    try {
      sendQueue.putPreferHigh(m);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- request / response

  @Override
  public CompletableFuture<Topics> request(Tag tag, Topics topics) {
    long nonce = requestNonce.incrementAndGet();
    byte[] encoded = topics.with(new Topic(Topics.NONCE_KEY, Topics.uvarint(nonce))).encode();
    long hash = Topics.hash(encoded);
    CompletableFuture<Topics> result = new CompletableFuture<>();
    responseWaiters.put(hash, result);
    result.whenComplete((t, e) -> responseWaiters.remove(hash, result));
    outstandingTopicRequests.incrementAndGet();
    if (!putBulk(new OutboundMessage(OutboundMessage.frame(tag, encoded), tag.code(), false, clock.getAsLong(), null))) {
      outstandingTopicRequests.decrementAndGet();
      result.completeExceptionally(new IOException("peer " + address() + " is closed"));
    }
    return result;
  }

  @Override
  public void respond(IncomingMessage request, OutgoingMessage response) {
    Topics topics = response.topics() == null ? Topics.empty() : response.topics();
    topics = topics.with(new Topic(Topics.REQUEST_HASH_KEY, Topics.uvarint(Topics.hash(request.data()))));
    OutboundMessage m =
        new OutboundMessage(OutboundMessage.frame(Tags.TS, topics.encode()), Tags.TS.code(), false, clock.getAsLong(), response.onRelease());
    if (!putBulk(m)) {
      m.release();
    }
  }

  private boolean putBulk(OutboundMessage m) {
    try {
      return sendQueue.put(m, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // ---------------------------------------------------------------- close

  /** Closes the peer with a reason, once; the engine's normal acknowledgement timeout applies. */
  public void close(DisconnectReason reason) {
    close(reason, net.config().disconnectAckTimeout());
  }

  void close(DisconnectReason reason, Duration ackTimeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    net.peerClosed(this, reason);
    List<OutboundMessage> remaining = new ArrayList<>();
    sendQueue.close(remaining);
    for (OutboundMessage m : remaining) {
      try {
        m.release();
      } catch (RuntimeException e) {
        log.warn("onRelease failed", e);
      }
    }
    try {
      conn.close(reason, ackTimeout);
    } catch (RuntimeException e) {
      log.debug("closing {} failed: {}", conn.remoteAddress(), e.toString());
    }
    Thread rt = readThread;
    if (rt != null && rt != Thread.currentThread()) {
      rt.interrupt();
    }
    IOException closedError = new IOException("peer " + address() + " closed: " + reason);
    for (CompletableFuture<Topics> f : responseWaiters.values()) {
      f.completeExceptionally(closedError);
    }
    List<Runnable> toRun;
    synchronized (closers) {
      toRun = List.copyOf(closers);
    }
    for (Runnable r : toRun) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("close callback failed", e);
      }
    }
    closeFuture.complete(reason);
  }

  /** Closes and waits for both loops to end (at most the ack timeout plus a second). */
  void closeAndWait(DisconnectReason reason, Duration ackTimeout) {
    close(reason, ackTimeout);
    long deadline = clock.getAsLong() + ackTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
    for (Thread t : new Thread[] {readThread, writeThread}) {
      if (t == null || t == Thread.currentThread()) {
        continue;
      }
      try {
        long left = deadline - clock.getAsLong();
        if (left > 0) {
          t.join(Duration.ofNanos(left));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Runs {@code r} when the peer closes (at once if it already has). */
  public void onClose(Runnable r) {
    synchronized (closers) {
      if (!closed.get()) {
        closers.add(r);
        return;
      }
    }
    r.run();
  }

  /** Completes with the reason once the peer is closed. */
  public CompletableFuture<DisconnectReason> closed() {
    return closeFuture;
  }

  /** Whether the peer is closed. */
  public boolean isClosed() {
    return closed.get();
  }

  // ---------------------------------------------------------------- liveness

  /** Checks the write in progress and idleness; closes the peer if either is over its limit. */
  void checkLiveness(long now) {
    long since = writeInProgressSinceNanos;
    if (since != 0 && now - since > net.config().slowWriterTimeout().toNanos()) {
      log.info("peer {} is a slow writer: one write in progress for {} ms", address(), (now - since) / 1_000_000);
      close(DisconnectReason.SLOW_CONNECTION);
      return;
    }
    if (now - lastPacketNanos > net.config().idleTimeout().toNanos()) {
      log.info("peer {} is idle", address());
      close(DisconnectReason.IDLE_CONNECTION);
    }
  }

  // ---------------------------------------------------------------- identity

  void setPendingIdentity(HandshakeIdentity.Pending pending) {
    this.pendingIdentity = pending;
  }

  HandshakeIdentity.Pending pendingIdentity() {
    return pendingIdentity;
  }

  void markIdentityVerified(byte[] key) {
    this.identityKey = key;
    this.identityVerified = true;
  }

  /** Whether the peer proved its identity key. */
  public boolean identityVerified() {
    return identityVerified;
  }

  /** The peer's verified identity key, or null. */
  public byte[] identityKey() {
    return identityKey;
  }

  // ---------------------------------------------------------------- accessors

  /** The handshake data. */
  public PeerHandshake handshake() {
    return handshake;
  }

  /** Whether this node dialed the peer. */
  public boolean outgoing() {
    return conn.outgoing();
  }

  MessageConnection connection() {
    return conn;
  }

  /** Messages waiting in this peer's send queues. */
  public int queuedMessages() {
    return sendQueue.size();
  }

  @Override
  public long messagesIn() {
    return (long) MESSAGES_IN.getOpaque(this);
  }

  @Override
  public long bytesIn() {
    return (long) BYTES_IN.getOpaque(this);
  }

  @Override
  public long messagesOut() {
    return (long) MESSAGES_OUT.getOpaque(this);
  }

  @Override
  public long bytesOut() {
    return (long) BYTES_OUT.getOpaque(this);
  }

  @Override
  public int queuedHighPriority() {
    return sendQueue.highSize();
  }

  @Override
  public int queuedBulk() {
    return sendQueue.bulkSize();
  }

  /** How long ago the peer connected. */
  public Duration age() {
    return Duration.ofNanos(clock.getAsLong() - createNanos);
  }

  @Override
  public GossipNode network() {
    return net;
  }

  @Override
  public String address() {
    return conn.remoteAddress();
  }

  @Override
  public String networkType() {
    return net.networkType();
  }

  @Override
  public PeerHttpClient httpClient() {
    return net.httpClient(address());
  }

  @Override
  public String stableId() {
    if (!handshake.remoteId().isEmpty()) {
      return handshake.remoteId();
    }
    if (identityVerified) {
      return java.util.HexFormat.of().formatHex(identityKey);
    }
    return address();
  }

  @Override
  public byte[] routingAddress() {
    String host = conn.remoteHost();
    if (host == null || host.isEmpty() || !(Character.isDigit(host.charAt(0)) || host.contains(":"))) {
      return new byte[0];
    }
    try {
      return InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      return new byte[0];
    }
  }

  @Override
  public String toString() {
    return "WsPeer[" + (outgoing() ? "out " : "in ") + address() + "]";
  }
}
