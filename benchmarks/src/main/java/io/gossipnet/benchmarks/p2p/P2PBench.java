package io.gossipnet.benchmarks.p2p;

import io.gossipnet.benchmarks.ws.WsBench;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.p2p.P2PConfig;
import io.gossipnet.p2p.P2PNetwork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * P2PNetwork beside WsNetwork and a raw libp2p stream, in one JVM and one run: two nodes on
 * loopback, A sending to B with a fixed number of messages in flight (the WS benchmark's driver).
 * {@code java -cp benchmarks/target/benchmarks.jar io.gossipnet.benchmarks.p2p.P2PBench [seconds]}.
 *
 * <ul>
 *   <li>small: 200-byte AV messages, 90 in flight (P2PNetwork over the gossip stream, WsNetwork,
 *       raw libp2p stream with the same 4-byte length framing);
 *   <li>bytes: 1 KiB (4096 in flight) and 16 KiB (256 in flight) PP messages, MB/s, beside the
 *       physical limits measured in the same run: TCP on loopback (iperf3, when installed) and the
 *       JDK's ChaCha20-Poly1305 encryption speed on one thread (Noise's cipher).
 * </ul>
 */
public final class P2PBench {
  private P2PBench() {}

  /** Runs every shape. */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    System.out.printf(Locale.ROOT, "# JDK %s, %d cores, %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), java.time.Instant.now());
    double raw = rawStream(200, 90, seconds);
    double p2p = p2pNetwork(Tags.AV, 200, 90, seconds);
    double ws = WsBench.gossipnet(200, 90, seconds);
    System.out.printf(Locale.ROOT, "small 200B window 90: p2p %.0f msg/s, ws %.0f msg/s (p2p/ws %.0f %%), raw libp2p stream %.0f msg/s (p2p/raw %.0f %%)%n",
        p2p, ws, 100 * p2p / ws, raw, 100 * p2p / raw);
    double tcp = io.gossipnet.benchmarks.ws.Iperf.loopbackBytesPerSecond(seconds) / 1e6;
    double cipher = CipherSpeed.chacha20Poly1305BytesPerSecond(1000L * Math.min(seconds, 3)) / 1e6;
    System.out.printf(Locale.ROOT, "limits: iperf3 TCP loopback %s, JDK ChaCha20-Poly1305 encrypt (one thread) %.0f MB/s%n",
        tcp < 0 ? "n/a (iperf3 not installed)" : String.format(Locale.ROOT, "%.0f MB/s", tcp), cipher);
    for (int[] shape : new int[][] {{1024, 4096}, {16 * 1024, 256}}) {
      double r = rawStream(shape[0], shape[1], seconds) * shape[0] / 1e6;
      double p = p2pNetwork(Tags.PP, shape[0], shape[1], seconds) * shape[0] / 1e6;
      System.out.printf(Locale.ROOT, "bytes %dB window %d: p2p %.0f MB/s, raw libp2p stream %.0f MB/s (p2p/raw %.0f %%, raw/cipher %.0f %%)%n",
          shape[0], shape[1], p, r, 100 * p / r, 100 * r / cipher);
    }
  }

  /**
   * Messages per second from node A to node B of two P2PNetwork nodes over the gossip stream
   * ({@code tag}: AV for small messages, PP for the byte shapes, as AV allows at most 1228 bytes).
   */
  static double p2pNetwork(io.gossipnet.core.Tag tag, int size, int window, int seconds) throws Exception {
    AtomicLong received = new AtomicLong();
    P2PConfig keyB = P2PConfig.defaults();
    P2PNetwork b = new P2PNetwork(NetworkConfig.builder("bench-v1").listenAddress("127.0.0.1:0").gossipFanout(0).build(), keyB, new SimpleMeterRegistry());
    b.registerHandlers(List.of(new TaggedHandler(tag, m -> {
      received.incrementAndGet();
      return OutgoingMessage.ignore();
    })));
    b.start();
    P2PNetwork a = new P2PNetwork(NetworkConfig.builder("bench-v1").relayPeers(List.of(b.address().orElseThrow())).gossipFanout(1)
        .meshInterval(Duration.ofSeconds(1)).build(), P2PConfig.defaults(), new SimpleMeterRegistry());
    a.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (a.connectedPeers().isEmpty() || b.connectedPeers().isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("nodes did not connect");
        }
        LockSupport.parkNanos(1_000_000);
      }
      byte[] payload = new byte[size];
      return WsBench.drive(received, n -> {
        for (int i = 0; i < n; ) {
          try {
            a.broadcast(tag, payload, false, null);
            i++;
          } catch (io.gossipnet.core.GossipException.QueueFull e) {
            LockSupport.parkNanos(10_000);
          }
        }
      }, window, seconds);
    } finally {
      a.stop();
      b.stop();
    }
  }

  /** The same shape on one raw libp2p stream: 4-byte length + 2-byte tag + payload frames. */
  static double rawStream(int size, int window, int seconds) throws Exception {
    AtomicLong received = new AtomicLong();
    try (Host b = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
        Host a = Host.builder().build().start()) {
      b.setStreamHandler("/bench/frames/1", s -> {
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.in(), 64 * 1024));
        byte[] buf = new byte[16 * 1024 + 2];
        try {
          while (true) {
            int n = in.readInt();
            in.readFully(buf, 0, n);
            received.incrementAndGet();
          }
        } catch (EOFException e) {
          // done
        }
      });
      Stream s = a.dial(b.listenAddresses().get(0).withPeerId(b.peerId())).get(10, TimeUnit.SECONDS)
          .newStream("/bench/frames/1").get(10, TimeUnit.SECONDS);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.out(), 64 * 1024));
      byte[] frame = new byte[size + 2];
      try {
        return WsBench.drive(received, n -> {
          for (int i = 0; i < n; i++) {
            out.writeInt(frame.length);
            out.write(frame);
          }
          out.flush();
        }, window, seconds);
      } finally {
        try {
          s.closeWrite();
        } catch (RuntimeException e) {
          // closing anyway
        }
      }
    }
  }
}
