package io.gossipnet.core.interest;

import io.gossipnet.core.Tag;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;

/**
 * An immutable set of tags with a constant-time {@link #contains(int)} by wire code: the tags a
 * peer asked for, checked for every message in that peer's write loop.
 *
 * <p>Tags are two printable ASCII bytes (0x21 to 0x7e), so the set is a bitset over the 94 × 94
 * possible tags, sized to the highest one present (at most 139 longs). A code with a byte outside
 * that range is never contained, except in {@link #ALL}.
 */
public final class TagSet {
  private static final int FIRST = 0x21;
  private static final int LAST = 0x7e;
  private static final int SPAN = LAST - FIRST + 1;

  /** The set that contains every tag, including ones no table defines. */
  public static final TagSet ALL = new TagSet(new long[0], 0, true);

  private static final TagSet EMPTY = new TagSet(new long[0], 0, false);

  private final long[] bits;
  private final int size;
  private final boolean all;

  private TagSet(long[] bits, int size, boolean all) {
    this.bits = bits;
    this.size = size;
    this.all = all;
  }

  /** The set with no tags. */
  public static TagSet empty() {
    return EMPTY;
  }

  /** The set of these tags; duplicates are ignored. */
  public static TagSet of(Tag... tags) {
    return of(Arrays.asList(tags));
  }

  /** The set of these tags; duplicates are ignored. */
  public static TagSet of(Collection<Tag> tags) {
    int max = -1;
    for (Tag t : tags) {
      max = Math.max(max, index(t.code()));
    }
    if (max < 0) {
      return EMPTY;
    }
    long[] bits = new long[(max >>> 6) + 1];
    int size = 0;
    for (Tag t : tags) {
      int i = index(t.code());
      long mask = 1L << i;
      if ((bits[i >>> 6] & mask) == 0) {
        bits[i >>> 6] |= mask;
        size++;
      }
    }
    return new TagSet(bits, size, false);
  }

  /**
   * Whether the tag with this wire code ({@link Tag#code()}, or {@link Tag#code(byte, byte)} of
   * the two bytes read from the wire) is in the set.
   */
  public boolean contains(int tagCode) {
    if (all) {
      return true;
    }
    int i = index(tagCode);
    if (i < 0) {
      return false;
    }
    int word = i >>> 6;
    return word < bits.length && (bits[word] & (1L << i)) != 0;
  }

  /** Whether the tag is in the set. */
  public boolean contains(Tag tag) {
    return contains(tag.code());
  }

  /** Whether this is {@link #ALL}. */
  public boolean isAll() {
    return all;
  }

  /**
   * The number of tags in the set.
   *
   * @throws UnsupportedOperationException for {@link #ALL}
   */
  public int size() {
    if (all) {
      throw new UnsupportedOperationException("TagSet.ALL has no size");
    }
    return size;
  }

  /**
   * The tag names in the set, in wire-code order.
   *
   * @throws UnsupportedOperationException for {@link #ALL}
   */
  public List<String> names() {
    if (all) {
      throw new UnsupportedOperationException("TagSet.ALL cannot be listed");
    }
    String[] out = new String[size];
    int n = 0;
    for (int w = 0; w < bits.length; w++) {
      long word = bits[w];
      while (word != 0) {
        int i = (w << 6) + Long.numberOfTrailingZeros(word);
        word &= word - 1;
        out[n++] = new String(new char[] {(char) (FIRST + i / SPAN), (char) (FIRST + i % SPAN)});
      }
    }
    return List.of(out);
  }

  /** The dense index of a code, or -1 if either byte is not printable ASCII. */
  private static int index(int code) {
    int hi = (code >>> 8) & 0xff;
    int lo = code & 0xff;
    if ((code & ~0xffff) != 0 || hi < FIRST || hi > LAST || lo < FIRST || lo > LAST) {
      return -1;
    }
    return (hi - FIRST) * SPAN + (lo - FIRST);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TagSet other) || other.all != all || other.size != size) {
      return false;
    }
    int n = Math.max(bits.length, other.bits.length);
    for (int i = 0; i < n; i++) {
      long a = i < bits.length ? bits[i] : 0;
      long b = i < other.bits.length ? other.bits[i] : 0;
      if (a != b) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    if (all) {
      return -1;
    }
    int h = 0;
    for (int i = 0; i < bits.length; i++) {
      h = 31 * h + Long.hashCode(bits[i]);
    }
    return h;
  }

  @Override
  public String toString() {
    if (all) {
      return "TagSet[ALL]";
    }
    StringJoiner j = new StringJoiner(",", "TagSet[", "]");
    names().forEach(j::add);
    return j.toString();
  }
}
