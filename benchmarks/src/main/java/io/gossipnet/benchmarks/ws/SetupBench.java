package io.gossipnet.benchmarks.ws;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.core.spi.Transport.EstablishedConnection;
import io.gossipnet.ws.WsConfig;
import io.gossipnet.ws.WsNetwork;
import io.gossipnet.ws.WsTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Connection set-up time on loopback: TCP connect, HTTP upgrade, identity challenge messages 1 and 2. */
final class SetupBench {
  private SetupBench() {}

  static void run(int dials) throws Exception {
    run(dials, true);
    run(dials, false);
  }

  static void run(int dials, boolean withIdentity) throws Exception {
    int port = WsBench.freePort();
    String address = "http://127.0.0.1:" + port;
    WsNetwork server = new WsNetwork(
        NetworkConfig.builder("bench-v1").listenAddress("127.0.0.1:" + port).publicAddress(address)
            .gossipFanout(0).maxConnectionsPerIp(100_000).incomingConnectionsLimit(100_000).build(),
        WsConfig.defaults(), new SimpleMeterRegistry());
    server.start();
    WsTransport client = ClientTransport.start("bench-v1", withIdentity);
    long[] nanos = new long[dials];
    boolean verified = true;
    try {
      for (int i = 0; i < dials + 100; i++) {
        long t0 = System.nanoTime();
        EstablishedConnection c = client.dial(address).get(10, TimeUnit.SECONDS);
        long t = System.nanoTime() - t0;
        if (i >= 100) {
          nanos[i - 100] = t;
          verified &= !withIdentity || c.handshake().identity() instanceof HandshakeIdentity.Verified;
        }
        c.connection().close(DisconnectReason.NODE_SHUTDOWN, Duration.ofMillis(50));
      }
    } finally {
      client.stop();
      server.stop();
    }
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "setup %s identity: %d dials after 100 warm-up, verified: %s; p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, mean %.3f ms%n",
        withIdentity ? "with" : "without", dials, verified, nanos[dials / 2] / 1e6, nanos[dials * 9 / 10] / 1e6, nanos[dials * 99 / 100] / 1e6,
        Arrays.stream(nanos).average().orElse(0) / 1e6);
  }
}
