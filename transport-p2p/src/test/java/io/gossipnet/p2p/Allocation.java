package io.gossipnet.p2p;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the current thread, from HotSpot's thread allocation counter. */
final class Allocation {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Allocation() {}

  static long ofCurrentThread() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }
}
