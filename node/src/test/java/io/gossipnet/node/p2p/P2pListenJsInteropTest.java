package io.gossipnet.node.p2p;

import io.gossipnet.libp2p.testing.CloseAfterEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.libp2p.pubsub.JsPubsubPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A {@code gossipnet p2p listen --topic t} process and a js-libp2p GossipSub peer ({@code
 * libp2p/src/test/js-pubsub/peer.mjs}, {@code @libp2p/gossipsub}) exchange messages both ways,
 * under StrictSign and {@code --no-sign}, with js dialling the CLI and the CLI dialling js
 * ({@code --bootstrap}). Without Node or the npm packages the tests fail when {@code REQUIRE_NODE=1}
 * (CI) and are skipped otherwise (see {@code JsPeer}).
 */
class P2pListenJsInteropTest {
  private static final String TOPIC = "t";
  private static final Duration WAIT = Duration.ofSeconds(30);
  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();

  @ParameterizedTest(name = "sign={0}, js dials the CLI={1}")
  @CsvSource({"true, true", "true, false", "false, true", "false, false"})
  void listenAndAJsPeerExchangeMessagesBothWays(boolean sign, boolean jsDials) throws Exception {
    JsPubsubPeer js = JsPubsubPeer.start(Map.of("sign", sign));
    closeables.add(js);
    js.subscribe(TOPIC);

    List<String> args = new ArrayList<>(List.of("--listen", "/ip4/127.0.0.1/tcp/0", "--topic", TOPIC));
    if (!sign) {
      args.add("--no-sign");
    }
    if (!jsDials) {
      args.addAll(List.of("--bootstrap", js.address().toString()));
    }
    ListenProcess cli = ListenProcess.start(args.toArray(String[]::new));
    closeables.add(cli);
    if (jsDials) {
      js.dial(Multiaddr.fromString(cli.addr()));
    }

    // Until the two have exchanged subscriptions a publish reaches no one: publish until it arrives.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      cli.send("from the cli");
      assertThat(js.received(TOPIC)).as("CLI stderr:%n%s", cli.stderrText()).contains("from the cli");
    });
    // js refuses to publish the same data twice under StrictNoSign (the message ID is its hash)
    AtomicInteger attempt = new AtomicInteger();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      js.publish(TOPIC, "from js " + attempt.incrementAndGet());
      // under StrictNoSign "from" is the forwarding peer, here js itself
      String fromJs = "{\"event\":\"message\",\"topic\":\"t\",\"from\":\"" + js.peerId() + "\",\"data\":\"from js ";
      assertThat(cli.stdout()).as("CLI stderr:%n%s", cli.stderrText()).anyMatch(l -> l.startsWith(fromJs));
    });
    JsonObject atJs = js.events("message", e -> "from the cli".equals(e.get("data").getAsString())).get(0);
    if (sign) {
      assertThat(atJs.get("from").getAsString()).isEqualTo(cli.peerId());
    } else {
      assertThat(atJs.get("from").isJsonNull()).as(atJs.toString()).isTrue();
    }
    assertThat(atJs.get("source").getAsString()).isEqualTo(cli.peerId());

    cli.closeStdin();
    assertThat(cli.awaitExit(Duration.ofSeconds(15))).isZero();
  }
}
