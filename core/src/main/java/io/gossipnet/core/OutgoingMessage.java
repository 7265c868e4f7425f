package io.gossipnet.core;

/**
 * What a handler wants done with the message it handled.
 *
 * @param action the action
 * @param tag for {@link Action#RESPOND}: unused (responses are always {@code TS})
 * @param topics for {@link Action#RESPOND}: the response topics
 * @param reason for {@link Action#DISCONNECT}: the reason recorded for the disconnection
 * @param onRelease runs once the response was written or discarded (may be null)
 */
public record OutgoingMessage(
    Action action, Tag tag, Topics topics, DisconnectReason reason, Runnable onRelease) {

  private static final OutgoingMessage IGNORE =
      new OutgoingMessage(Action.IGNORE, null, null, null, null);
  private static final OutgoingMessage BROADCAST =
      new OutgoingMessage(Action.BROADCAST, null, null, null, null);
  private static final OutgoingMessage ACCEPT =
      new OutgoingMessage(Action.ACCEPT, null, null, null, null);

  /** The actions a handler can ask for. */
  public enum Action {
    /** Do nothing more. */
    IGNORE,
    /** Disconnect the sender. */
    DISCONNECT,
    /** Broadcast the received message to every other peer (not a relay: non-relays do it too). */
    BROADCAST,
    /** Send a topic response to the sender. */
    RESPOND,
    /** Validators only: accept the message so that it is forwarded. */
    ACCEPT
  }

  /** Do nothing more. */
  public static OutgoingMessage ignore() {
    return IGNORE;
  }

  /**
   * Re-broadcast the message to every peer except its sender (in a hybrid node, on both of its
   * networks).
   */
  public static OutgoingMessage broadcast() {
    return BROADCAST;
  }

  /** Accept (validators). */
  public static OutgoingMessage accept() {
    return ACCEPT;
  }

  /** Disconnect the sender with reason {@link DisconnectReason#BAD_DATA}. */
  public static OutgoingMessage disconnect() {
    return disconnect(DisconnectReason.BAD_DATA);
  }

  /** Disconnect the sender with the given reason. */
  public static OutgoingMessage disconnect(DisconnectReason reason) {
    return new OutgoingMessage(Action.DISCONNECT, null, null, reason, null);
  }

  /** Respond to the sender's topic request with these topics. */
  public static OutgoingMessage respond(Topics topics) {
    return respond(topics, null);
  }

  /** Respond to the sender's topic request; {@code onRelease} runs once sent or discarded. */
  public static OutgoingMessage respond(Topics topics, Runnable onRelease) {
    return new OutgoingMessage(Action.RESPOND, Tags.TS, topics, null, onRelease);
  }
}
