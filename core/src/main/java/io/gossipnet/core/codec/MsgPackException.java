package io.gossipnet.core.codec;

/**
 * Malformed or unexpected msgpack: a wrong type, a length over the caller's limit or the remaining
 * input, truncated input or trailing bytes. The message says which; it never echoes the input.
 */
public final class MsgPackException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An exception with a message describing what was wrong. */
  public MsgPackException(String message) {
    super(message);
  }
}
