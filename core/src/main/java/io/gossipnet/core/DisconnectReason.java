package io.gossipnet.core;

/**
 * Why a peer connection was closed. The names are the seed network's reason strings, so logs and
 * metrics read the same on both implementations.
 */
public enum DisconnectReason {
  /** No reason recorded. */
  NONE("", false),
  /** The peer sent data that failed decoding or validation. */
  BAD_DATA("BadData", false),
  /** Reading from the connection failed, or the peer sent an oversized or malformed frame. */
  READ_ERROR("ReadError", false),
  /** Writing to the connection failed. */
  WRITE_ERROR("WriteError", false),
  /** Nothing was read or written for the idle timeout. */
  IDLE_CONNECTION("IdleConnection", false),
  /** One write stayed in progress for longer than the slow-writer timeout. */
  SLOW_CONNECTION("SlowConnection", false),
  /** The peer was the slowest of the throttled outgoing peers. */
  LEAST_PERFORMING_PEER("LeastPerformingPeer", false),
  /** Dropped to break a suspected clique when the network stopped advancing. */
  CLIQUE_RESOLVING("CliqueResolving", false),
  /** The peer, or our application, asked for the disconnection. */
  DISCONNECT_REQUEST("DisconnectRequest", false),
  /** A queued message waited longer than the maximum queue duration. */
  STALE_WRITE("DisconnectStaleWrite", false),
  /** A second connection to a node we are already connected to. */
  DUPLICATE_CONNECTION("DuplicateConnection", true),
  /** Malformed or wrongly signed identity challenge data. */
  BAD_IDENTITY_DATA("BadIdentityData", true),
  /** A topic response arrived that no request was waiting for. */
  UNEXPECTED_TOPIC_RESPONSE("UnexpectedTopicResp", false),
  /**
   * P2P: the peer opened a newer gossip stream, which replaced this one (the seed closes the old
   * stream, whose peer then ends with a read error).
   */
  STREAM_REPLACED("StreamReplaced", false),
  /**
   * An incoming connection past the incoming limits (total or per address) when it was added: its
   * handshake was admitted, but so were others that finished first (not a seed reason; the seed
   * refuses before the handshake only).
   */
  INCOMING_LIMIT("IncomingLimit", false),
  /** The local node is shutting down. */
  NODE_SHUTDOWN("NodeShutdown", false);

  private final String wireName;
  private final boolean permanent;

  DisconnectReason(String wireName, boolean permanent) {
    this.wireName = wireName;
    this.permanent = permanent;
  }

  /** The seed network's string for this reason. */
  public String wireName() {
    return wireName;
  }

  /** Whether redialing the same peer soon is pointless (the condition will not go away). */
  public boolean permanent() {
    return permanent;
  }

  @Override
  public String toString() {
    return wireName.isEmpty() ? "none" : wireName;
  }
}
