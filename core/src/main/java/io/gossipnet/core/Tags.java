package io.gossipnet.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A set of known tags with constant-time lookup by wire code, and the seed network's default table
 * (go-algorand's {@code protocol/tags.go}).
 *
 * <p>A message whose tag is not in the node's table is counted and dropped by the peer read path;
 * a message-of-interest list naming such a tag disconnects the peer.
 */
public final class Tags {
  /** The largest message accepted on any connection: 6 MiB. */
  public static final int MAX_MESSAGE_LENGTH = 6 * 1024 * 1024;

  /** Agreement vote; high priority; deduplicated. */
  public static final Tag AV = Tag.of("AV", 1228, true, true);
  /** Message-of-interest: the tags a peer wants; handled inside the peer. */
  public static final Tag MI = Tag.of("MI", 48, false, false);
  /** Digest skip: "do not send me the message with this digest"; handled inside the peer. */
  public static final Tag MS = Tag.of("MS", 69, false, false);
  /** Network priority response. */
  public static final Tag NP = Tag.of("NP", 850, false, false);
  /** Identity verification, the third message of the identity challenge. */
  public static final Tag NI = Tag.of("NI", 215, false, false);
  /** Proposal payload; high priority. */
  public static final Tag PP = Tag.of("PP", 0x501e3a, true, false);
  /** State proof signature; sent only to peers that asked for it. */
  public static final Tag SP = Tag.of("SP", 6378, false, false);
  /** Response to a topic request. */
  public static final Tag TS = Tag.of("TS", MAX_MESSAGE_LENGTH, false, false);
  /** Transaction group; deduplicated. */
  public static final Tag TX = Tag.of("TX", 5_000_000, false, true);
  /** Block request over gossip. */
  public static final Tag UE = Tag.of("UE", 67, false, false);
  /** Vote bundle. */
  public static final Tag VB = Tag.of("VB", MAX_MESSAGE_LENGTH, false, false);
  /** Stateful packed vote. */
  public static final Tag VP = Tag.of("VP", 1228, false, false);
  /** Deprecated ping; tolerated only inside message-of-interest lists. */
  public static final Tag PING = Tag.of("pi", 0, false, false);
  /** Deprecated ping reply; tolerated only inside message-of-interest lists. */
  public static final Tag PING_REPLY = Tag.of("pj", 0, false, false);

  private static final Tags DEFAULTS =
      new Tags(List.of(AV, MI, MS, NP, NI, PP, SP, TS, TX, UE, VB, VP), List.of(PING, PING_REPLY));

  private final Tag[] byCode = new Tag[1 << 16];
  private final boolean[] deprecated = new boolean[1 << 16];
  private final List<Tag> active;
  private final List<Tag> deprecatedTags;

  private Tags(Collection<Tag> active, Collection<Tag> deprecatedTags) {
    for (Tag t : active) {
      if (byCode[t.code()] != null) {
        throw new IllegalArgumentException("tag " + t + " defined twice");
      }
      byCode[t.code()] = t;
    }
    for (Tag t : deprecatedTags) {
      deprecated[t.code()] = true;
    }
    this.active = List.copyOf(active);
    this.deprecatedTags = List.copyOf(deprecatedTags);
  }

  /** The seed network's table: AV MI MS NP NI PP SP TS TX UE VB VP, with pi and pj deprecated. */
  public static Tags defaults() {
    return DEFAULTS;
  }

  /**
   * The default table plus application tags.
   *
   * @throws IllegalArgumentException if a tag is defined twice
   */
  public static Tags defaultsPlus(Tag... extra) {
    List<Tag> all = new ArrayList<>(DEFAULTS.active);
    Collections.addAll(all, extra);
    return new Tags(all, DEFAULTS.deprecatedTags);
  }

  /**
   * This table plus application tags (the deprecated ones kept).
   *
   * @throws IllegalArgumentException if a tag is defined twice
   */
  public Tags plus(Tag... extra) {
    List<Tag> all = new ArrayList<>(active);
    Collections.addAll(all, extra);
    return new Tags(all, deprecatedTags);
  }

  /** A table of exactly these tags. The control tags MI, MS, NI and TS should be among them. */
  public static Tags of(Collection<Tag> tags) {
    return new Tags(tags, List.of());
  }

  /** The tag with this wire code, or null if it is not in the table. */
  public Tag lookup(int code) {
    return byCode[code & 0xffff];
  }

  /** The tag with this name, or null if it is not in the table. */
  public Tag lookup(String name) {
    // A character above 0xff is no tag byte (masking it would alias another tag's name).
    if (name.length() != 2 || name.charAt(0) > 0xff || name.charAt(1) > 0xff) {
      return null;
    }
    return byCode[name.charAt(0) << 8 | name.charAt(1)];
  }

  /** Whether this is a deprecated tag, tolerated (and skipped) in message-of-interest lists. */
  public boolean isDeprecated(int code) {
    return deprecated[code & 0xffff];
  }

  /** Every active tag, in definition order. */
  public List<Tag> all() {
    return active;
  }
}
