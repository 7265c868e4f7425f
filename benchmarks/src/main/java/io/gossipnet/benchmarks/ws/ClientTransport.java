package io.gossipnet.benchmarks.ws;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.identity.Ed25519IdentityChallengeScheme;
import io.gossipnet.core.identity.IdentityChallengeScheme;
import io.gossipnet.core.identity.IdentityKeys;
import io.gossipnet.core.spi.MessageConnection;
import io.gossipnet.core.spi.PeerHandshake;
import io.gossipnet.core.spi.TransportContext;
import io.gossipnet.ws.WsConfig;
import io.gossipnet.ws.WsTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Set;

/** A bare {@link WsTransport} that only dials (no engine), with an identity key, for set-up and heap benchmarks. */
final class ClientTransport {
  private ClientTransport() {}

  static WsTransport start(String genesis) throws IOException {
    return start(genesis, true);
  }

  static WsTransport start(String genesis, boolean withIdentity) throws IOException {
    NetworkConfig config = NetworkConfig.builder(genesis).listenAddress("").build();
    byte[] random = new byte[10];
    new SecureRandom().nextBytes(random);
    IdentityChallengeScheme identity = withIdentity ? new Ed25519IdentityChallengeScheme(IdentityKeys.generate(), Set.of()) : null;
    MeterRegistry meters = new SimpleMeterRegistry();
    WsTransport t = new WsTransport(WsConfig.defaults());
    t.start(new TransportContext() {
      @Override
      public NetworkConfig config() {
        return config;
      }

      @Override
      public byte[] nodeRandom() {
        return random.clone();
      }

      @Override
      public IdentityChallengeScheme identity() {
        return identity;
      }

      @Override
      public MeterRegistry meters() {
        return meters;
      }

      @Override
      public Admission admitIncoming(String remoteHost) {
        return Admission.OK;
      }

      @Override
      public void acceptIncoming(MessageConnection connection, PeerHandshake handshake) {
        connection.close(io.gossipnet.core.DisconnectReason.NODE_SHUTDOWN, java.time.Duration.ZERO);
      }

      @Override
      public boolean closePeer(MessageConnection connection, io.gossipnet.core.DisconnectReason reason) {
        return false;
      }
    });
    return t;
  }
}
