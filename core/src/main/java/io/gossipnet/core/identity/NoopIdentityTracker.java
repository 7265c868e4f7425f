package io.gossipnet.core.identity;

import java.util.Objects;

/** {@link IdentityTracker#noop()}: accepts every claim and records nothing. */
final class NoopIdentityTracker implements IdentityTracker {
  static final NoopIdentityTracker INSTANCE = new NoopIdentityTracker();

  private NoopIdentityTracker() {}

  @Override
  public boolean setIdentity(byte[] publicKey, Object peer) {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(peer, "peer");
    return true;
  }

  @Override
  public void removeIdentity(Object peer) {}

  @Override
  public String toString() {
    return "IdentityTracker.noop()";
  }
}
