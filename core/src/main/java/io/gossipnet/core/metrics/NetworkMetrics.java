package io.gossipnet.core.metrics;

import io.gossipnet.core.DisconnectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The network's meters, registered once in the injected {@link MeterRegistry} and held as fields so
 * the hot paths only increment. Names are dot-separated under {@code gossipnet.}; every meter carries
 * a {@code network} tag ({@code ws}, {@code p2p}, {@code mem}, ...) so that two engines in one
 * registry (a hybrid node) keep separate counters and gauges. No meter has a per-peer tag (a node
 * may have thousands of peers).
 */
public final class NetworkMetrics {
  /** The tag that tells the meters of two networks in one registry apart. */
  public static final String NETWORK_TAG = "network";

  /** Broadcasts refused because the broadcaster's queue was full. */
  public final Counter broadcastQueueFull;
  /** Broadcasts dropped because they waited in the broadcaster's queue too long. */
  public final Counter broadcastsDropped;
  /** Broadcasts handed to peers. */
  public final Counter broadcasts;
  /** Messages not queued to one peer because its send queue was full. */
  public final Counter peerBroadcastDropped;
  /** Messages written to peers. */
  public final Counter messagesSent;
  /** Bytes written to peers (tag included). */
  public final Counter bytesSent;
  /** Messages read from peers. */
  public final Counter messagesReceived;
  /** Bytes read from peers (tag included). */
  public final Counter bytesReceived;
  /** Messages with a tag this node does not know, dropped. */
  public final Counter unknownTagMessages;
  /** Messages dropped by the incoming duplicate filter. */
  public final Counter duplicateMessagesReceived;
  /** Bytes dropped by the incoming duplicate filter. */
  public final Counter duplicateBytesReceived;
  /** Messages not sent because the peer said (MS) it already had them. */
  public final Counter outgoingFilteredOut;
  /** Bytes not sent because the peer said (MS) it already had them. */
  public final Counter outgoingFilteredOutBytes;
  /** MS digests received for messages already in the peer's outgoing filter. */
  public final Counter duplicateFilterReceived;
  /** Messages not sent because the peer did not ask for their tag (message of interest). */
  public final Counter unrequestedTagDropped;
  /** Oversized messages dropped in the write loop. */
  public final Counter oversizedDropped;
  /** Topic responses that arrived after their request was given up. */
  public final Counter lateTopicResponses;
  /** Second connections to an already connected identity. */
  public final Counter identityDuplicate;
  /** Malformed or wrongly signed identity data. */
  public final Counter identityError;
  /** Dial attempts started while earlier attempts at the same address were still pending. */
  public final Counter redials;
  /** Time messages waited in the shared read buffer. */
  public final Timer readBufferWait;
  /** Time handlers took. */
  public final Timer handle;

  private final Map<DisconnectReason, Counter> disconnects = new EnumMap<>(DisconnectReason.class);
  private final MeterRegistry registry;
  private final String network;

  /** Registers the meters with the tag {@code network=default}. */
  public NetworkMetrics(MeterRegistry registry) {
    this(registry, "default");
  }

  /**
   * Registers the meters.
   *
   * @param registry where the meters go
   * @param network the value of every meter's {@code network} tag
   */
  public NetworkMetrics(MeterRegistry registry, String network) {
    this.registry = registry;
    this.network = network;
    broadcastQueueFull = counter("gossipnet.broadcast.queue.full", "broadcasts refused: queue full");
    broadcastsDropped = counter("gossipnet.broadcast.dropped.stale", "broadcasts older than the max queue duration");
    broadcasts = counter("gossipnet.broadcasts", "broadcasts handed to peers");
    peerBroadcastDropped = counter("gossipnet.peer.broadcast.dropped", "messages dropped: peer queue full");
    messagesSent = counter("gossipnet.messages.sent", "messages written");
    bytesSent = counter("gossipnet.bytes.sent", "bytes written");
    messagesReceived = counter("gossipnet.messages.received", "messages read");
    bytesReceived = counter("gossipnet.bytes.received", "bytes read");
    unknownTagMessages = counter("gossipnet.messages.unknown.tag", "messages with an unknown tag");
    duplicateMessagesReceived = counter("gossipnet.duplicate.messages.received", "duplicates dropped");
    duplicateBytesReceived = counter("gossipnet.duplicate.bytes.received", "duplicate bytes dropped");
    outgoingFilteredOut = counter("gossipnet.outgoing.filtered.messages", "messages skipped after MS");
    outgoingFilteredOutBytes = counter("gossipnet.outgoing.filtered.bytes", "bytes skipped after MS");
    duplicateFilterReceived = counter("gossipnet.duplicate.filter.received", "repeated MS digests");
    unrequestedTagDropped = counter("gossipnet.messages.unrequested.tag", "messages the peer did not ask for");
    oversizedDropped = counter("gossipnet.messages.oversized.dropped", "outgoing messages over 6 MiB");
    lateTopicResponses = counter("gossipnet.topic.responses.late", "topic responses without a waiting request");
    identityDuplicate = counter("gossipnet.identity.duplicate", "duplicate identities");
    identityError = counter("gossipnet.identity.error", "bad identity data");
    redials = counter("gossipnet.dial.redials", "dial attempts started beside a pending one to the same address");
    readBufferWait = Timer.builder("gossipnet.read.buffer.wait").tag(NETWORK_TAG, network).register(registry);
    handle = Timer.builder("gossipnet.handle").tag(NETWORK_TAG, network).register(registry);
    for (DisconnectReason r : DisconnectReason.values()) {
      disconnects.put(
          r,
          Counter.builder("gossipnet.connections.dropped")
              .tag("reason", r.toString())
              .tag(NETWORK_TAG, network)
              .description("closed peer connections by reason")
              .register(registry));
    }
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).tag(NETWORK_TAG, network).description(description).register(registry);
  }

  /** Counts a closed connection. */
  public void disconnected(DisconnectReason reason) {
    disconnects.get(reason).increment();
  }

  /** The count of closed connections for a reason. */
  public double disconnectCount(DisconnectReason reason) {
    return disconnects.get(reason).count();
  }

  /** Registers a gauge read from a supplier (peer counts and the like). */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).tag(NETWORK_TAG, network).description(description).register(registry);
  }

  /** The value of this network's {@code network} tag. */
  public String network() {
    return network;
  }

  /** The registry the meters are in. */
  public MeterRegistry registry() {
    return registry;
  }
}
