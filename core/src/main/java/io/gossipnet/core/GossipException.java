package io.gossipnet.core;

/** A failure of a network operation, such as a broadcast that could not be queued. */
public class GossipException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public GossipException(String message) {
    super(message);
  }

  /** Creates the exception with a message and a cause. */
  public GossipException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The broadcast queue was full and the caller did not want to wait. */
  public static final class QueueFull extends GossipException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public QueueFull(String message) {
      super(message);
    }
  }

  /** The network is stopping or stopped. */
  public static final class Closed extends GossipException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public Closed(String message) {
      super(message);
    }
  }
}
