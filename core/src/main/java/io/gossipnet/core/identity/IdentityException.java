package io.gossipnet.core.identity;

/** Identity-challenge data was malformed or wrongly signed (reason {@code BadIdentityData}). */
public final class IdentityException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public IdentityException(String message) {
    super(message);
  }

  /** Creates the exception with a cause. */
  public IdentityException(String message, Throwable cause) {
    super(message, cause);
  }
}
