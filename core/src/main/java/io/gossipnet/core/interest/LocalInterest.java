package io.gossipnet.core.interest;

import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The node's own message-of-interest list and its generation (the seed's {@code
 * messagesOfInterest} and {@code messagesOfInterestGeneration}). Thread-safe.
 *
 * <p>Until the first change nothing is announced ({@link Announcement#announced()} is false) and
 * peers use {@link MessageOfInterest#defaultSendTags()}. The first {@link #register} or {@link
 * #deregister} starts from that default set; every call that changes the set increments the
 * generation, and the network pushes the new encoding to each peer whose last sent generation
 * differs. A relay registers {@code SP}; a non-relay registers and deregisters {@code TX} as it
 * starts and stops participating.
 */
public final class LocalInterest {
  private Set<Tag> tags; // null until the first change
  private Announcement current = new Announcement(0, null, null, null);

  /** Creates a list that announces nothing until the first change. */
  public LocalInterest() {}

  /**
   * Adds tags to the list.
   *
   * @return the announcement after the change (the same generation if nothing changed)
   */
  public synchronized Announcement register(Tag... add) {
    Set<Tag> next = start();
    next.addAll(Arrays.asList(add));
    return update(next);
  }

  /**
   * Removes tags from the list.
   *
   * @return the announcement after the change (the same generation if nothing changed)
   */
  public synchronized Announcement deregister(Tag... remove) {
    Set<Tag> next = start();
    next.removeAll(Arrays.asList(remove));
    return update(next);
  }

  /** The current announcement. */
  public synchronized Announcement current() {
    return current;
  }

  private Set<Tag> start() {
    return new LinkedHashSet<>(tags == null ? MessageOfInterest.defaultSendTags() : tags);
  }

  private Announcement update(Set<Tag> next) {
    if (tags != null && tags.equals(next)) {
      return current;
    }
    if (next.isEmpty()) {
      throw new IllegalArgumentException("the message-of-interest list cannot become empty");
    }
    Set<Tag> withoutVp = new LinkedHashSet<>(next);
    withoutVp.remove(Tags.VP);
    byte[] full = MessageOfInterest.encode(next);
    byte[] legacy = withoutVp.isEmpty() ? full : MessageOfInterest.encode(withoutVp);
    tags = next;
    current = new Announcement(current.generation + 1, Set.copyOf(next), full, legacy);
    return current;
  }

  /** One version of the node's list: its generation, tags and {@code MI} payloads. */
  public static final class Announcement {
    private final long generation;
    private final Set<Tag> tags;
    private final byte[] encoded;
    private final byte[] encodedWithoutVp;

    private Announcement(long generation, Set<Tag> tags, byte[] encoded, byte[] withoutVp) {
      this.generation = generation;
      this.tags = tags;
      this.encoded = encoded;
      this.encodedWithoutVp = withoutVp;
    }

    /** The generation: 0 before the first change, then incremented by each change. */
    public long generation() {
      return generation;
    }

    /** Whether there is a list to send (false until the first change). */
    public boolean announced() {
      return tags != null;
    }

    /** The tags, sorted by wire code; empty if nothing is announced. */
    public List<Tag> tags() {
      return tags == null
          ? List.of()
          : tags.stream().sorted((a, b) -> Integer.compare(a.code(), b.code())).toList();
    }

    /**
     * The {@code MI} payload for a peer. Peers that did not advertise stateful vote compression get
     * the list without {@code VP}: older nodes disconnect on tags they do not know.
     *
     * @param peerSupportsVp whether the peer advertised a stateful vpack feature
     * @return a fresh copy of the payload
     * @throws IllegalStateException if nothing is announced
     */
    public byte[] payloadFor(boolean peerSupportsVp) {
      if (tags == null) {
        throw new IllegalStateException("no message-of-interest list announced yet");
      }
      return (peerSupportsVp ? encoded : encodedWithoutVp).clone();
    }

    @Override
    public String toString() {
      return "Announcement[gen=" + generation + ", tags=" + (tags == null ? "none" : tags()) + "]";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Announcement a
          && a.generation == generation
          && Objects.equals(a.tags, tags);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(generation) * 31 + Objects.hashCode(tags);
    }
  }
}
