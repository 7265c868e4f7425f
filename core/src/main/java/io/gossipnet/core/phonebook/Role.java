package io.gossipnet.core.phonebook;

import java.util.EnumSet;
import java.util.Set;

/** A role a phonebook address serves; an address may have several. Bit values are the seed's. */
public enum Role {
  /** A relay, from the bootstrap SRV record or the configured relay peers. */
  RELAY(1),
  /** An archival node, from the archive SRV record. */
  ARCHIVAL(2);

  private final int bit;

  Role(int bit) {
    this.bit = bit;
  }

  /** This role's bit in a roles bitmask. */
  public int bit() {
    return bit;
  }

  /** The roles whose bits are set in {@code mask}. */
  public static Set<Role> fromMask(int mask) {
    EnumSet<Role> out = EnumSet.noneOf(Role.class);
    for (Role r : values()) {
      if ((mask & r.bit) != 0) {
        out.add(r);
      }
    }
    return out;
  }
}
