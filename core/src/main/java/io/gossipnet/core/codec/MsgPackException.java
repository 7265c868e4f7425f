package io.gossipnet.core.codec;

/**
 * Malformed or unexpected msgpack: a wrong type, a length over the caller's limit or the remaining
 * input, truncated input or trailing bytes. {@link #kind()} says which, so a decoder can map it to
 * its own error; the message never echoes the input.
 */
public final class MsgPackException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What kind of problem the input had. */
  public enum Kind {
    /** The next value is not of the type the caller asked for. */
    WRONG_TYPE,
    /** A count or length is over the caller's limit (checked before the remaining input). */
    OVER_LIMIT,
    /** The input ends before the value does (a length longer than the remaining input). */
    TRUNCATED,
    /** Input remains after the last value. */
    TRAILING_BYTES,
    /** Anything else a decoder refuses (a duplicate or unknown key, a bad header). */
    INVALID
  }

  private final Kind kind;

  /** An exception of kind {@link Kind#INVALID} with a message describing what was wrong. */
  public MsgPackException(String message) {
    this(Kind.INVALID, message);
  }

  /** An exception of {@code kind} with a message describing what was wrong. */
  public MsgPackException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** What kind of problem the input had. */
  public Kind kind() {
    return kind;
  }
}
