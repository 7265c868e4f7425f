package io.gossipnet.core.interest;

/**
 * A message-of-interest body that breaks the seed's rules: undecodable topics, a missing {@code
 * "tags"} topic, a value longer than 1024 bytes, a tag that is not exactly two bytes, or a tag the
 * node does not know. The peer that sent it should be disconnected ({@code BadData}).
 */
public final class MalformedInterestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public MalformedInterestException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the underlying decoding error. */
  public MalformedInterestException(String message, Throwable cause) {
    super(message, cause);
  }
}
