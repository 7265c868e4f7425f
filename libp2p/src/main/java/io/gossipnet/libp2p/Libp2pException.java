package io.gossipnet.libp2p;

import java.io.IOException;

/** A libp2p failure with a reason a person can read: negotiation, handshake, limit or protocol error. */
public class Libp2pException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A failure with a reason. */
  public Libp2pException(String message) {
    super(message);
  }

  /** A failure with a reason and a cause. */
  public Libp2pException(String message, Throwable cause) {
    super(message, cause);
  }
}
