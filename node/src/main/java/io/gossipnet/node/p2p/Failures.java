package io.gossipnet.node.p2p;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns exceptions into one-line messages for the CLI. */
final class Failures {
  private Failures() {}

  static String describe(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof TimeoutException) {
      return "timed out";
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
