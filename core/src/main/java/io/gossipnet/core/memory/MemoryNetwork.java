package io.gossipnet.core.memory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A switchboard of in-memory transports in one JVM: each {@link MemoryTransport} listens at {@code
 * mem://name}, and dials reach the transport registered under that address. Links get the
 * network's {@link LinkConditions} unless a pair has its own; every link created is recorded so
 * tests can inject faults.
 */
public final class MemoryNetwork {
  private final Map<String, MemoryTransport> listeners = new ConcurrentHashMap<>();
  private final Map<String, LinkConditions> pairConditions = new ConcurrentHashMap<>();
  private final List<MemoryConnection> links = new CopyOnWriteArrayList<>();
  private volatile LinkConditions defaults;

  /** A network whose links have no latency and no faults. */
  public MemoryNetwork() {
    this(LinkConditions.PERFECT);
  }

  /** A network whose links behave as {@code defaults}. */
  public MemoryNetwork(LinkConditions defaults) {
    this.defaults = defaults;
  }

  /** A transport for a node named {@code name} (address {@code mem://name}). */
  public MemoryTransport transport(String name) {
    return new MemoryTransport(this, "mem://" + name);
  }

  /** Changes the conditions of links created from now on. */
  public void defaultConditions(LinkConditions c) {
    this.defaults = c;
  }

  /** Conditions for frames from {@code from} to {@code to} on links created from now on. */
  public void conditions(String from, String to, LinkConditions c) {
    pairConditions.put(from + "->" + to, c);
  }

  LinkConditions conditionsFor(String from, String to) {
    return pairConditions.getOrDefault(from + "->" + to, defaults);
  }

  void listen(String address, MemoryTransport t) {
    if (listeners.putIfAbsent(address, t) != null) {
      throw new IllegalStateException(address + " is already listening");
    }
  }

  void unlisten(String address, MemoryTransport t) {
    listeners.remove(address, t);
  }

  MemoryTransport lookup(String address) {
    return listeners.get(address);
  }

  void recordLink(MemoryConnection dialerEnd) {
    links.add(dialerEnd);
  }

  /** The dialing ends of every link created, in creation order. */
  public List<MemoryConnection> links() {
    return List.copyOf(links);
  }

  /** Fault: closes every link to or from {@code address} (the node stays up and may redial). */
  public void cut(String address) {
    for (MemoryConnection c : links) {
      if (c.remoteAddress().equals(address) || c.otherEnd().remoteAddress().equals(address)) {
        c.close(io.gossipnet.core.DisconnectReason.READ_ERROR, java.time.Duration.ZERO);
      }
    }
  }
}
