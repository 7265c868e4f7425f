package io.gossipnet.libp2p.internal.yamux;

/**
 * Yamux limits.
 *
 * @param maxInboundStreams streams the remote may have open at once; more are reset
 * @param maxOutboundStreams streams we may have open at once
 * @param maxWindow largest receive window a fast reader grows to
 * @param maxBufferedBytes unread bytes buffered per connection; a stream past it is reset
 */
public record YamuxConfig(int maxInboundStreams, int maxOutboundStreams, int maxWindow, long maxBufferedBytes) {
  /** The spec's initial stream window, 256 KiB. */
  public static final int INITIAL_WINDOW = 256 * 1024;
  /** Defaults: 256 streams each way, windows up to 16 MiB, 64 MiB buffered per connection. */
  public static final YamuxConfig DEFAULT = new YamuxConfig(256, 1024, 16 * 1024 * 1024, 64L * 1024 * 1024);
}
