package io.gossipnet.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for tests that must know a node's address before the node listens. A port asked from the
 * kernel ({@code new ServerSocket(0)}) comes from the ephemeral range, where outgoing connections
 * of any process take their local ports too, so it may be gone by the time the node binds it.
 * These ports come from below that range (20000-32767, the Linux default range starts at 32768),
 * are checked to be free, and are never handed out twice by one JVM.
 */
public final class FreePorts {
  private static final int LOW = 20000;
  private static final int HIGH = 32768;
  private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /**
   * A loopback port that was free a moment ago and is outside the ephemeral range.
   *
   * @throws IllegalStateException if none is found after many tries
   */
  public static int loopback() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
      if (!handedOut.add(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return port;
      } catch (IOException e) {
        // taken: try another
      }
    }
    throw new IllegalStateException("no free port found in " + LOW + ".." + (HIGH - 1));
  }
}
