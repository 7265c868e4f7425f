package io.gossipnet.libp2p.internal.yamux;

/**
 * Yamux limits.
 *
 * @param maxInboundStreams streams the remote may have open at once; more are reset
 * @param maxOutboundStreams streams we may have open at once
 * @param maxWindow largest receive window a fast reader grows to
 * @param maxBufferedBytes memory held for unread data per connection (see {@link YamuxStream});
 *     the stream whose data would go past it is reset
 * @param keepAlive interval of our keep-alive pings; a ping unanswered for one more interval
 *     closes the connection ({@code Duration.ZERO} for none)
 */
public record YamuxConfig(int maxInboundStreams, int maxOutboundStreams, int maxWindow, long maxBufferedBytes,
    java.time.Duration keepAlive) {
  /** The spec's initial stream window, 256 KiB. */
  public static final int INITIAL_WINDOW = 256 * 1024;
  /** Defaults: 256 inbound streams, windows up to 16 MiB, 64 MiB buffered, pings every 30 s. */
  public static final YamuxConfig DEFAULT = new YamuxConfig(256, 1024, 16 * 1024 * 1024, 64L * 1024 * 1024,
      java.time.Duration.ofSeconds(30));
}
