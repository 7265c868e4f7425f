package io.gossipnet.libp2p.pubsub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The message cache: recent messages in heartbeat windows, served to IWANT and announced in IHAVE
 * for the newest {@code gossip} windows. Not thread-safe: used under the router's lock.
 */
final class MessageCache {
  record Entry(Rpc.WireMessage message, Map<Object, Integer> iwantCounts) {}

  private final int gossip;
  private final int length;
  private final Deque<List<MessageKey>> windows = new ArrayDeque<>();
  private final Map<MessageKey, Entry> entries = new HashMap<>();

  MessageCache(int gossip, int length) {
    this.gossip = gossip;
    this.length = length;
    windows.addFirst(new ArrayList<>());
  }

  void put(MessageKey id, Rpc.WireMessage m) {
    if (entries.putIfAbsent(id, new Entry(m, new HashMap<>())) == null) {
      windows.peekFirst().add(id);
    }
  }

  Entry get(MessageKey id) {
    return entries.get(id);
  }

  /** IDs of the newest {@code gossip} windows for {@code topic}. */
  List<MessageKey> gossipIds(String topic) {
    List<MessageKey> out = new ArrayList<>();
    int i = 0;
    for (List<MessageKey> w : windows) {
      if (i++ >= gossip) {
        break;
      }
      for (MessageKey id : w) {
        Entry e = entries.get(id);
        if (e != null && topic.equals(e.message().topic())) {
          out.add(id);
        }
      }
    }
    return out;
  }

  void shift() {
    if (windows.size() >= length) {
      for (MessageKey id : windows.removeLast()) {
        entries.remove(id);
      }
    }
    windows.addFirst(new ArrayList<>());
  }

  int size() {
    return entries.size();
  }
}
