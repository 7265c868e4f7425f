package io.gossipnet.p2p;

import static io.gossipnet.p2p.MetadataFrameTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.core.spi.PeerHandshake;
import io.gossipnet.p2p.MetadataException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The V22 exchange: who writes first, what each side answers, and how versions are negotiated. */
class MetadataExchangeTest {
  private static final MetadataExchange.Local DIALER =
      new MetadataExchange.Local("tel-d", "dialer", "testnet-v1.0", List.of("ppzstd"), "2.2", List.of("2.2", "2.1"));
  private static final MetadataExchange.Local ACCEPTOR =
      new MetadataExchange.Local("tel-a", "acceptor", "mainnet-v1.0", List.of("ppzstd", "avvpack"), "2.1",
          List.of("2.1", "2.2"));

  @Test
  void theSeedsVersionIs22() {
    assertThat(MetadataExchange.PROTOCOL_VERSION).isEqualTo("2.2");
    assertThat(MetadataExchange.SUPPORTED_VERSIONS).containsExactly("2.2");
  }

  @Test
  void bothSidesCompleteOverAStreamPair() throws Exception {
    PipedInputStream dialerIn = new PipedInputStream(1 << 16);
    PipedInputStream acceptorIn = new PipedInputStream(1 << 16);
    PipedOutputStream dialerOut = new PipedOutputStream(acceptorIn);
    PipedOutputStream acceptorOut = new PipedOutputStream(dialerIn);

    CompletableFuture<MetadataExchange.Result> acceptor = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        acceptor.complete(MetadataExchange.incoming(acceptorIn, acceptorOut, ACCEPTOR));
      } catch (IOException e) {
        acceptor.completeExceptionally(e);
      }
    });
    MetadataExchange.Result dialer = MetadataExchange.outgoing(dialerIn, dialerOut, DIALER);
    MetadataExchange.Result accepted = acceptor.get(10, TimeUnit.SECONDS);

    // The acceptor takes the first of the dialer's accepted versions it supports: 2.2.
    assertThat(accepted.version()).isEqualTo("2.2");
    assertThat(accepted.peer().version()).isEqualTo("2.2");
    assertThat(accepted.peer().instanceName()).isEqualTo("dialer");
    // The dialer negotiates on the answer the same way: the acceptor's list comes first, so 2.1.
    assertThat(dialer.version()).isEqualTo("2.1");
    assertThat(dialer.peer().version()).isEqualTo("2.2");
    assertThat(dialer.peer().acceptVersions()).containsExactly("2.1", "2.2");
    // The genesis IDs differ and nobody minds: only the version is checked over P2P.
    assertThat(dialer.peer().genesisId()).isEqualTo("mainnet-v1.0");
  }

  @Test
  void theDialerWritesItsOwnVersionFirst() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] answer = ACCEPTOR.frame("2.2").encode();
    MetadataExchange.outgoing(new ByteArrayInputStream(answer), out, DIALER);
    MetadataFrame sent = MetadataFrame.decode(out.toByteArray());
    assertThat(sent).isEqualTo(DIALER.frame("2.2"));
    assertThat(sent.version()).isEqualTo("2.2");
    assertThat(sent.acceptVersions()).containsExactly("2.2", "2.1");
  }

  @Test
  void theAcceptorAnswersWithTheNegotiatedVersion() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MetadataFrame dialerFrame = MetadataFrame.forNode("", "", "g", List.of(), "2.1", List.of("2.2"));
    MetadataExchange.Result r = MetadataExchange.incoming(new ByteArrayInputStream(dialerFrame.encode()), out, ACCEPTOR);
    assertThat(r.version()).isEqualTo("2.2");
    assertThat(MetadataFrame.decode(out.toByteArray()).version()).isEqualTo("2.2");
  }

  @Test
  void theFirstAcceptedVersionWeSupportWins() throws Exception {
    MetadataFrame peer = MetadataFrame.of(Map.of(
        MetadataFrame.ACCEPT_VERSION, List.of("9.9", "2.1", "2.2"), MetadataFrame.VERSION, List.of("2.2")));
    assertThat(MetadataExchange.negotiate(peer, List.of("2.2", "2.1"))).isEqualTo("2.1");
  }

  @Test
  void withoutACommonAcceptedVersionThePeersVersionIsUsed() throws Exception {
    MetadataFrame peer = MetadataFrame.of(Map.of(
        MetadataFrame.ACCEPT_VERSION, List.of("9.9"), MetadataFrame.VERSION, List.of("2.2")));
    assertThat(MetadataExchange.negotiate(peer, List.of("2.2"))).isEqualTo("2.2");
  }

  @Test
  void versionsMatchExactly() {
    MetadataFrame peer = MetadataFrame.of(Map.of(MetadataFrame.ACCEPT_VERSION, List.of(" 2.2", "2.2,2.1")));
    assertReason(() -> MetadataExchange.negotiate(peer, List.of("2.2")), Reason.NO_COMMON_VERSION, "we support [2.2]");
  }

  @Test
  void noAcceptedVersionAndNoVersionIsNoCommonVersion() {
    assertReason(() -> MetadataExchange.negotiate(MetadataFrame.of(Map.of()), List.of("2.2")),
        Reason.NO_COMMON_VERSION, "peer accepts []");
  }

  @Test
  void anAcceptorWithNoCommonVersionWritesNothing() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] dialer = new MetadataExchange.Local("", "", "g", List.of(), "1.0", List.of("1.0")).frame("1.0")
        .encode();
    assertReason(() -> MetadataExchange.incoming(new ByteArrayInputStream(dialer), out, ACCEPTOR),
        Reason.NO_COMMON_VERSION, "1.0");
    assertThat(out.size()).isZero();
  }

  @Test
  void aDialerWhoseAnswerIsCutShortFailsTruncated() throws Exception {
    byte[] answer = ACCEPTOR.frame("2.2").encode();
    byte[] cut = java.util.Arrays.copyOf(answer, answer.length / 2);
    assertReason(() -> MetadataExchange.outgoing(new ByteArrayInputStream(cut), new ByteArrayOutputStream(), DIALER),
        Reason.TRUNCATED, "stream ended");
  }

  @Test
  void theResultBecomesTheEnginesHandshake() throws Exception {
    MetadataFrame peer = MetadataFrame.forNode("tel\u0007", "inst", "g", List.of("ppzstd", "avvpack"), "2.2",
        List.of("2.2"));
    PeerHandshake h = new MetadataExchange.Result("2.2", peer).handshake(HandshakeIdentity.NONE, "12D3KooW");
    assertThat(h.protocolVersion()).isEqualTo("2.2");
    assertThat(h.features()).containsExactly("ppzstd", "avvpack");
    assertThat(h.telemetryGuid()).isEqualTo("tel\u25af");
    assertThat(h.instanceName()).isEqualTo("inst");
    assertThat(h.remoteId()).isEqualTo("12D3KooW");
  }

  @Test
  void aLocalSideNeedsOneTo16SupportedVersions() {
    assertThatThrownBy(() -> new MetadataExchange.Local("", "", "g", List.of(), "2.2", List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("supportedVersions");
  }
}
