package io.gossipnet.libp2p.protocol;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.StreamHandler;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ping ({@code /ipfs/ping/1.0.0}): 32 random bytes echoed back. The handler echoes until end of
 * stream; each inbound stream has its own thread, so concurrent pings are served independently.
 */
public final class Ping implements StreamHandler {
  /** The protocol ID. */
  public static final String PROTOCOL = "/ipfs/ping/1.0.0";
  /** Bytes per ping. */
  public static final int SIZE = 32;
  /** A ping stream idle longer than this is closed. */
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public void handle(Stream stream) throws IOException {
    stream.setReadTimeout(IDLE_TIMEOUT);
    byte[] buf = new byte[SIZE];
    while (true) {
      int n = stream.in().readNBytes(buf, 0, SIZE);
      if (n == 0) {
        return;
      }
      if (n < SIZE) {
        throw new Libp2pException("ping stream ended after " + n + " of " + SIZE + " bytes");
      }
      stream.out().write(buf);
    }
  }

  /** Pings {@code count} times over one stream; returns the round-trip times. */
  public static List<Duration> ping(Connection connection, int count) throws IOException {
    Stream s = connection.newStream(PROTOCOL).join();
    s.setReadTimeout(Duration.ofSeconds(10));
    List<Duration> rtts = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        byte[] out = new byte[SIZE];
        RANDOM.nextBytes(out);
        long start = System.nanoTime();
        s.out().write(out);
        byte[] in = s.in().readNBytes(SIZE);
        if (!Arrays.equals(in, out)) {
          throw new Libp2pException("ping answer does not match what we sent");
        }
        rtts.add(Duration.ofNanos(System.nanoTime() - start));
      }
      s.close();
      return rtts;
    } catch (IOException | RuntimeException e) {
      s.reset();
      throw e;
    }
  }

  /** One ping; returns the round-trip time. */
  public static Duration ping(Connection connection) throws IOException {
    return ping(connection, 1).get(0);
  }
}
