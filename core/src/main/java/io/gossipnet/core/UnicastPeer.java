package io.gossipnet.core;

import java.util.concurrent.CompletableFuture;

/** A connected peer that can be sent topic requests and responses directly. */
public interface UnicastPeer extends Peer {
  /** The address used to reach this peer. */
  String address();

  /**
   * Sends a topic request under {@code tag} and returns its response. A {@code nonce} topic is
   * added so that equal requests get distinct responses. The future fails if the peer closes;
   * cancelling it (or letting a timeout cancel it) forgets the request, and a late response is
   * then discarded.
   */
  CompletableFuture<Topics> request(Tag tag, Topics topics);

  /**
   * Answers a request received from this peer: sends {@code TS} with the response topics and the
   * request's hash. The response's {@link OutgoingMessage#onRelease()} runs once it is written or
   * discarded.
   */
  void respond(IncomingMessage request, OutgoingMessage response);
}
