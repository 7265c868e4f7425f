package io.gossipnet.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for the demo's nodes, which must know each other's addresses before any listens:
 * from below the ephemeral range (20000-32767; outgoing connections take their local ports from
 * 32768 up), checked free, never handed out twice by one JVM. (The same rule as testkit's {@code
 * FreePorts}, which the node does not depend on at run time: testkit brings JUnit.)
 */
final class DemoPorts {
  private static final int LOW = 20000;
  private static final int HIGH = 32768;
  private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

  private DemoPorts() {}

  /** A loopback port that was free a moment ago; throws if none is found after many tries. */
  static int loopback() {
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
    throw new IllegalStateException("no free loopback port in " + LOW + ".." + (HIGH - 1));
  }
}
