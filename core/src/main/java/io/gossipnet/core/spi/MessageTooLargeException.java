package io.gossipnet.core.spi;

import java.io.IOException;

/** A peer sent a message larger than its tag allows; the connection is closed with ReadError. */
public final class MessageTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public MessageTooLargeException(String message) {
    super(message);
  }
}
