package io.gossipnet.node;

import java.util.concurrent.CountDownLatch;

/**
 * SIGTERM/SIGINT handling through {@code sun.misc.Signal} (module {@code jdk.unsupported}). Kept in
 * its own class so that a runtime image without that module fails only here, where the caller
 * catches it, and not when picocli reflects on the command classes.
 */
final class Signals {
  private Signals() {}

  /** Counts {@code stop} down on SIGTERM and SIGINT instead of exiting. */
  @SuppressWarnings("restriction")
  static void onTermOrInt(CountDownLatch stop) {
    for (String name : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> stop.countDown());
    }
  }
}
