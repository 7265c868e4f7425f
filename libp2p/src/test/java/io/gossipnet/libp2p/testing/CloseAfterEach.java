package io.gossipnet.libp2p.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes what a test started (hosts, routers, js processes), newest first, after each test, even
 * when the test failed: {@code @RegisterExtension final CloseAfterEach closeables = new
 * CloseAfterEach();} then {@code closeables.add(node)}.
 */
public final class CloseAfterEach implements AfterEachCallback {
  private final List<AutoCloseable> open = new ArrayList<>();

  /** Registers {@code c} to be closed after the test and returns it. */
  public synchronized <T extends AutoCloseable> T add(T c) {
    open.add(c);
    return c;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<AutoCloseable> toClose;
    synchronized (this) {
      toClose = new ArrayList<>(open.reversed());
      open.clear();
    }
    for (AutoCloseable c : toClose) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort: the next one still gets closed
      }
    }
  }
}
