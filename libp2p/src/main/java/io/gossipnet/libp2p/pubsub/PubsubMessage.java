package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.crypto.PeerId;
import java.util.HexFormat;

/**
 * A received or published message. {@code from}, {@code seqno} are {@code null} under
 * {@link SignaturePolicy#STRICT_NO_SIGN}; {@code receivedFrom} is the peer that forwarded it to us
 * ({@code null} for our own).
 */
public record PubsubMessage(String topic, byte[] data, PeerId from, byte[] seqno, byte[] id, PeerId receivedFrom) {
  /** The message ID as lower-case hex. */
  public String idHex() {
    return HexFormat.of().formatHex(id);
  }
}
