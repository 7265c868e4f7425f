package io.gossipnet.testkit;

import static io.gossipnet.core.PeerOption.CONNECTED_IN;
import static io.gossipnet.core.PeerOption.CONNECTED_OUT;
import static io.gossipnet.core.PeerOption.PHONEBOOK_ARCHIVAL;
import static io.gossipnet.core.PeerOption.PHONEBOOK_RELAYS;
import static io.gossipnet.core.PeerOption.TRANSPORT_CONNECTIONS_IN;
import static io.gossipnet.core.PeerOption.TRANSPORT_CONNECTIONS_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.DisconnectablePeer;
import io.gossipnet.core.GossipException;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.HttpPeer;
import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.Peer;
import io.gossipnet.core.PeerConnectionInfo;
import io.gossipnet.core.PeerOption;
import io.gossipnet.core.Tag;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.TaggedValidator;
import io.gossipnet.core.Tags;
import io.gossipnet.core.Topic;
import io.gossipnet.core.Topics;
import io.gossipnet.core.UnicastPeer;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link GossipNode} must have, whatever its transport: each method of the API
 * and the edge cases its Javadoc documents, checked between real nodes. A transport's test extends
 * this class and supplies its nodes through {@link #factory()}:
 *
 * <pre>{@code
 * class WsGossipNodeContractTest extends GossipNodeContract {
 *   @Override
 *   protected NodeFactory factory() {
 *     return new WsNodeFactory();
 *   }
 * }
 * }</pre>
 *
 * <p>Each test starts the nodes it needs (relays that listen, clients that dial them) and stops them
 * afterwards, so tests do not depend on each other or on their order. Messages use tags that every
 * transport carries over its gossip connections ({@code VB}, {@code NP}, {@code UE}, {@code AV},
 * {@code PP}); {@code TX} is used only between relays and from clients to relays, which is where a
 * pubsub transport delivers it (see {@link TransportCapabilities#pubsubTags()}). Where transports
 * differ as documented, the factory's {@link NodeFactory#capabilities()} says which behaviour
 * applies.
 *
 * <p>"Nothing arrived" is checked with a marker: a second message sent after the one that must not
 * arrive, on the same path; once the marker is in, a message sent before it would be too.
 *
 * <p>Test methods are {@code protected} so that a transport with a known, reported bug can override
 * the one test it fails with {@code @Test @Disabled("what fails and why")} until the bug is fixed;
 * the run then reports it as skipped with that reason, never silently.
 */
public abstract class GossipNodeContract {
  /** How long any asynchronous condition may take (generous: the suite runs on loaded machines). */
  protected static final Duration WAIT = Duration.ofSeconds(20);

  /** How often {@link #sendUntilReceived} sends again while nothing arrived. */
  private static final Duration RESEND_INTERVAL = Duration.ofMillis(250);

  /** A bulk tag carried over gossip connections on every transport. */
  private static final Tag BULK = Tags.VB;
  /** Another bulk tag: the marker sent after a message that must not arrive. */
  private static final Tag MARKER = Tags.NP;
  /** A high-priority tag. */
  private static final Tag HIGH = Tags.AV;
  /** The tag of topic requests (the seed's block request tag). */
  private static final Tag REQUEST = Tags.UE;
  /** Used by {@link #handleAt} only: a node's handle on a peer is the sender of a message from it. */
  private static final Tag HELLO = Tags.PP;

  private NodeFactory factory;
  private final List<GossipNode> nodes = new CopyOnWriteArrayList<>();
  private final Map<GossipNode, String> names = new IdentityHashMap<>();
  private final Map<GossipNode, Inbox> hellos = new IdentityHashMap<>();
  private final AtomicInteger sequence = new AtomicInteger();

  /** The factory of the nodes under test; called once before each test. */
  protected abstract NodeFactory factory();

  @BeforeEach
  void createFactory() {
    factory = factory();
  }

  @AfterEach
  void stopNodes() {
    List<Thread> stoppers = new ArrayList<>();
    for (GossipNode n : nodes) {
      stoppers.add(Thread.ofVirtual().start(n::stop));
    }
    for (Thread t : stoppers) {
      try {
        t.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    nodes.clear();
    factory.close();
  }

  // ================================================================ identity and lifecycle

  @Test
  protected void genesisIdIsTheNetworkTheNodeWasCreatedFor() {
    GossipNode node = start(NodeOptions.relay(name("relay")).withGenesisId("contract-other-v7"));
    assertThat(node.genesisId()).isEqualTo("contract-other-v7");
  }

  @Test
  @DisplayName("a node of another genesis ID is refused")
  protected void aNodeOfAnotherNetworkIsRefused() {
    Assumptions.assumeTrue(factory.capabilities().refusesOtherGenesisIds(),
        "this transport does not compare genesis IDs when peers connect (as the seed's P2P network, inventory 7.2)");
    GossipNode relay = relay();
    GossipNode stranger = start(NodeOptions.client(name("client"), dial(relay)).withGenesisId("contract-other-v7"));
    stranger.requestConnectOutgoing(true);
    stranger.requestConnectOutgoing(true);
    eventually().during(Duration.ofSeconds(1)).until(
        () -> relay.getPeers(CONNECTED_IN).isEmpty() && stranger.getPeers(CONNECTED_OUT).isEmpty());
  }

  @Test
  protected void aListeningNodeHasAnAddressAndAClientNone() {
    GossipNode relay = relay();
    GossipNode client = client(relay);
    assertThat(relay.address()).as("relay address()").isPresent();
    assertThat(factory.dialAddresses(relay)).as("relay dial addresses").isNotEmpty();
    assertThat(client.address()).as("client address()").isEmpty();
    assertThat(factory.dialAddresses(client)).as("client dial addresses").isEmpty();
  }

  @Test
  protected void stopIsIdempotent() {
    GossipNode relay = relay();
    GossipNode client = client(relay);
    client.stop();
    relay.stop();
    assertThatCode(() -> {
      client.stop();
      relay.stop();
    }).doesNotThrowAnyException();
  }

  @Test
  protected void broadcastAndRelayAfterStopThrowClosed() {
    GossipNode relay = relay();
    relay.stop();
    assertThatThrownBy(() -> relay.broadcast(BULK, text("late"), false, null)).isInstanceOf(GossipException.Closed.class);
    assertThatThrownBy(() -> relay.broadcast(BULK, text("late"), true, null)).isInstanceOf(GossipException.Closed.class);
    assertThatThrownBy(() -> relay.relay(BULK, text("late"), false, null)).isInstanceOf(GossipException.Closed.class);
  }

  @Test
  protected void theNodesPeersSeeItStop() {
    GossipNode hub = relay();
    GossipNode a = client(hub);
    GossipNode b = client(hub);
    awaitPeers(hub, CONNECTED_IN, 2);
    Peer bToHub = b.getPeers(CONNECTED_OUT).get(0);

    a.stop();
    assertThat(a.getPeers(CONNECTED_OUT, CONNECTED_IN)).as("a stopped node's peers").isEmpty();
    eventually().until(() -> hub.getPeers(CONNECTED_IN).size() == 1);

    hub.stop();
    assertThat(hub.getPeers(CONNECTED_OUT, CONNECTED_IN)).as("a stopped node's peers").isEmpty();
    eventually().until(() -> !b.getPeers(CONNECTED_OUT).contains(bToHub));
  }

  @Test
  protected void stopEndsEveryThreadTheNodesStarted() {
    List<String> prefixes = factory.threadNamePrefixes();
    Set<Long> before = LiveThreads.named(prefixes).keySet();
    GossipNode hub = relay();
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    assertThat(newThreads(prefixes, before)).as("threads named %s while the nodes run", prefixes).isNotEmpty();

    client.stop();
    hub.stop();
    eventually().untilAsserted(
        () -> assertThat(newThreads(prefixes, before)).as("threads left after stop()").isEmpty());
  }

  @Test
  protected void stopFreesTheListeningPort() {
    GossipNode relay = relay();
    List<Integer> ports = tcpPorts(factory.dialAddresses(relay));
    Assumptions.assumeFalse(ports.isEmpty(),
        "the node listens on no TCP port (" + factory.dialAddresses(relay) + "): nothing to free");
    relay.stop();
    for (int port : ports) {
      eventually().until(() -> canBind(port));
    }
  }

  // ================================================================ readiness and progress

  @Test
  protected void readyCompletesOnceTheNodeHasAsManyPeersAsItsFanout() {
    GossipNode hub = start(NodeOptions.relay(name("relay")).withFanout(2));
    CompletableFuture<Void> ready = hub.ready().toCompletableFuture();
    assertThat(ready).as("ready with no peer").isNotDone();

    GossipNode first = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    assertThat(ready).as("ready with one peer of two (the eventual-ready delay is a minute)").isNotDone();

    client(hub);
    eventually().until(ready::isDone);
    eventually().until(() -> first.ready().toCompletableFuture().isDone());
  }

  @Test
  protected void readyCompletesTheEventualReadyDelayAfterTheFirstPeer() {
    GossipNode hub = start(NodeOptions.relay(name("relay")).withFanout(3).withEventualReadyDelay(Duration.ofMillis(300)));
    assertThat(hub.ready().toCompletableFuture()).as("ready with no peer").isNotDone();
    client(hub);
    eventually().until(() -> hub.ready().toCompletableFuture().isDone());
    assertThat(hub.getPeers(CONNECTED_IN, CONNECTED_OUT)).hasSizeLessThan(3);
  }

  @Test
  protected void onNetworkAdvanceLeavesTheNodeWorking() {
    GossipNode hub = relay();
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    Inbox atHub = inbox(hub, BULK);
    Inbox txAtHub = inbox(hub, Tags.TX);
    assertThatCode(() -> {
      for (int i = 0; i < 3; i++) {
        hub.onNetworkAdvance();
        client.onNetworkAdvance();
      }
    }).doesNotThrowAnyException();
    client.broadcast(BULK, text("after advance"), false, null);
    eventually().until(() -> atHub.has("after advance"));
    sendUntilReceived(client, Tags.TX, "tx after advance", txAtHub);
  }

  // ================================================================ broadcast and relay

  @Test
  protected void broadcastReachesEveryConnectedPeerInAndOut() {
    Line line = line();
    Inbox atFar = inbox(line.far, BULK);
    Inbox atClient = inbox(line.client, BULK);
    Inbox highAtFar = inbox(line.far, HIGH);
    Inbox highAtClient = inbox(line.client, HIGH);

    line.middle.broadcast(BULK, text("to all"), false, null);
    line.middle.broadcast(HIGH, text("urgent to all"), false, null);

    eventually().until(() -> atFar.has("to all") && atClient.has("to all"));
    eventually().until(() -> highAtFar.has("urgent to all") && highAtClient.has("urgent to all"));
  }

  @Test
  protected void broadcastSkipsTheExceptedPeer() {
    GossipNode hub = relay();
    GossipNode a = client(hub);
    GossipNode b = client(hub);
    awaitPeers(hub, CONNECTED_IN, 2);
    Inbox atA = inbox(a, BULK);
    Inbox atB = inbox(b, BULK);
    Inbox markerAtA = inbox(a, MARKER);
    Peer aAtHub = handleAt(hub, a);
    assertThat(hub.getPeers(CONNECTED_IN)).as("the sender of a message is one of the node's peers").contains(aAtHub);

    hub.broadcast(BULK, text("not for a"), false, aAtHub);
    eventually().until(() -> atB.has("not for a"));
    hub.broadcast(MARKER, text("marker"), false, null);
    eventually().until(() -> markerAtA.has("marker"));
    assertThat(atA.texts()).doesNotContain("not for a");
  }

  @Test
  protected void broadcastWithWaitReturnsOnceTheMessageIsQueuedToEveryPeer() {
    GossipNode hub = relay();
    GossipNode a = client(hub);
    GossipNode b = client(hub);
    awaitPeers(hub, CONNECTED_IN, 2);
    Inbox atA = inbox(a, BULK);
    Inbox atB = inbox(b, BULK);

    assertTimeoutPreemptively(WAIT, () -> hub.broadcast(BULK, text("waited"), true, null));
    assertTimeoutPreemptively(WAIT, () -> hub.broadcast(HIGH, text("waited high"), true, null));
    eventually().until(() -> atA.has("waited") && atB.has("waited"));
  }

  @Test
  @DisplayName("a full broadcast queue with wait=false throws QueueFull; the high-priority queue is separate")
  protected void aFullBroadcastQueueThrowsQueueFull() {
    // With no peer, the broadcaster holds the request it took until a peer appears, so a bulk
    // queue of one fills after a message or two.
    GossipNode lonely = start(NodeOptions.relay(name("relay")).withBroadcastQueueBulkSize(1));
    GossipException.QueueFull full = null;
    int accepted = 0;
    for (int i = 0; i < 10 && full == null; i++) {
      try {
        lonely.broadcast(BULK, text("queued " + i), false, null);
        accepted++;
      } catch (GossipException.QueueFull e) {
        full = e;
      }
    }
    assertThat(full).as("QueueFull after %d accepted broadcasts into a bulk queue of 1", accepted).isNotNull();
    assertThatCode(() -> lonely.broadcast(HIGH, text("urgent"), false, null)).doesNotThrowAnyException();
  }

  @Test
  protected void relayOnARelayNodeSends() {
    GossipNode hub = relay();
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    Inbox atClient = inbox(client, BULK);
    hub.relay(BULK, text("relayed"), false, null);
    eventually().until(() -> atClient.has("relayed"));
  }

  @Test
  protected void relayOnANodeThatDoesNotRelaySendsNothing() {
    GossipNode hub = relay();
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    Inbox atHub = inbox(hub, BULK);
    Inbox markerAtHub = inbox(hub, MARKER);
    client.relay(BULK, text("not relayed"), false, null);
    client.relay(BULK, text("not relayed either"), true, null);
    client.broadcast(MARKER, text("marker"), false, null);
    eventually().until(() -> markerAtHub.has("marker"));
    assertThat(atHub.texts()).isEmpty();
  }

  @Test
  protected void aClientsTransactionReachesItsRelay() {
    GossipNode hub = relay();
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    Inbox atHub = inbox(hub, Tags.TX);
    sendUntilReceived(client, Tags.TX, "tx from client", atHub);
  }

  @Test
  protected void transactionsTravelBetweenRelaysBothWays() {
    GossipNode far = relay();
    GossipNode near = start(NodeOptions.relay(name("relay")).withFanout(1).withRelayPeers(dial(far)));
    awaitPeers(near, CONNECTED_OUT, 1);
    awaitPeers(far, CONNECTED_IN, 1);
    Inbox atFar = inbox(far, Tags.TX);
    Inbox atNear = inbox(near, Tags.TX);
    sendUntilReceived(near, Tags.TX, "tx out", atFar);
    sendUntilReceived(far, Tags.TX, "tx in", atNear);
  }

  // ================================================================ handlers

  @Test
  protected void aHandlerGetsTheMessageItsSenderAndTheNode() {
    GossipNode hub = relay();
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    Inbox atHub = inbox(hub, BULK);
    Inbox atClient = inbox(client, BULK);

    client.broadcast(BULK, text("up"), false, null);
    IncomingMessage up = eventually().until(() -> atHub.find("up"), Optional::isPresent).orElseThrow();
    assertThat(up.tag()).isEqualTo(BULK);
    assertThat(up.receivedNanos()).as("receivedNanos, a System.nanoTime() of the past").isLessThanOrEqualTo(System.nanoTime());
    assertThat(up.network()).as("msg.network()").isSameAs(hub);
    assertThat(up.outgoing()).as("outgoing(): the hub did not dial the client").isFalse();
    assertThat(up.sender()).isInstanceOf(DisconnectablePeer.class);
    assertThat(hub.getPeers(CONNECTED_IN)).contains(up.sender());

    hub.broadcast(BULK, text("down"), false, null);
    IncomingMessage down = eventually().until(() -> atClient.find("down"), Optional::isPresent).orElseThrow();
    assertThat(down.network()).isSameAs(client);
    assertThat(down.outgoing()).as("outgoing(): the client dialed the hub").isTrue();
    assertThat(client.getPeers(CONNECTED_OUT)).contains(down.sender());
  }

  @Test
  protected void ignoreDoesNothingMore() {
    GossipNode hub = relay();
    GossipNode a = client(hub);
    GossipNode b = client(hub);
    awaitPeers(hub, CONNECTED_IN, 2);
    Inbox atHub = inbox(hub, BULK, m -> OutgoingMessage.ignore());
    Inbox atB = inbox(b, BULK);
    Inbox markerAtB = inbox(b, MARKER);
    Peer aToHub = a.getPeers(CONNECTED_OUT).get(0);

    a.broadcast(BULK, text("ignored"), false, null);
    IncomingMessage got = eventually().until(() -> atHub.find("ignored"), Optional::isPresent).orElseThrow();
    hub.broadcast(MARKER, text("marker"), false, null);
    eventually().until(() -> markerAtB.has("marker"));
    assertThat(atB.texts()).as("an ignored message is not forwarded").isEmpty();
    assertThat(hub.getPeers(CONNECTED_IN)).as("the sender stays connected").contains(got.sender());
    assertThat(a.getPeers(CONNECTED_OUT)).contains(aToHub);
  }

  @Test
  protected void broadcastActionSendsTheMessageToEveryPeerButItsSender() {
    GossipNode hub = relay();
    GossipNode a = client(hub);
    GossipNode b = client(hub);
    awaitPeers(hub, CONNECTED_IN, 2);
    inbox(hub, BULK, m -> OutgoingMessage.broadcast());
    Inbox atA = inbox(a, BULK);
    Inbox atB = inbox(b, BULK);
    Inbox markerAtA = inbox(a, MARKER);

    a.broadcast(BULK, text("pass it on"), false, null);
    eventually().until(() -> atB.has("pass it on"));
    hub.broadcast(MARKER, text("marker"), false, null);
    eventually().until(() -> markerAtA.has("marker"));
    assertThat(atA.texts()).as("the sender does not get its message back").doesNotContain("pass it on");
  }

  @Test
  protected void aTransactionARelaysHandlerBroadcastsReachesTheRelaysBehindIt() {
    GossipNode hub = relay();
    GossipNode left = start(NodeOptions.relay(name("relay")).withFanout(1).withRelayPeers(dial(hub)));
    GossipNode right = start(NodeOptions.relay(name("relay")).withFanout(1).withRelayPeers(dial(hub)));
    awaitPeers(hub, CONNECTED_IN, 2);
    Inbox atHub = inbox(hub, Tags.TX, m -> OutgoingMessage.broadcast());
    Inbox atRight = inbox(right, Tags.TX);
    sendUntilReceived(left, Tags.TX, "tx via hub", atRight);
    assertThat(atHub.texts()).as("the hub's handler saw what it passed on").isNotEmpty();
  }

  @Test
  protected void disconnectActionClosesTheSenderWithItsReason() {
    GossipNode hub = relay();
    GossipNode a = client(hub);
    GossipNode b = client(hub);
    awaitPeers(hub, CONNECTED_IN, 2);
    Inbox badAtHub = inbox(hub, BULK, m -> OutgoingMessage.disconnect());
    Inbox byeAtHub = inbox(hub, MARKER, m -> OutgoingMessage.disconnect(DisconnectReason.DISCONNECT_REQUEST));
    Peer aToHub = a.getPeers(CONNECTED_OUT).get(0);
    Peer bToHub = b.getPeers(CONNECTED_OUT).get(0);

    a.broadcast(BULK, text("bad"), false, null);
    b.broadcast(MARKER, text("bye"), false, null);
    Peer aAtHub = eventually().until(() -> badAtHub.find("bad"), Optional::isPresent).orElseThrow().sender();
    Peer bAtHub = eventually().until(() -> byeAtHub.find("bye"), Optional::isPresent).orElseThrow().sender();

    eventually().until(() -> !hub.getPeers(CONNECTED_IN).contains(aAtHub) && !hub.getPeers(CONNECTED_IN).contains(bAtHub));
    eventually().until(() -> !a.getPeers(CONNECTED_OUT).contains(aToHub) && !b.getPeers(CONNECTED_OUT).contains(bToHub));
    assertCloseReason(aAtHub, DisconnectReason.BAD_DATA);
    assertCloseReason(bAtHub, DisconnectReason.DISCONNECT_REQUEST);
  }

  @Test
  protected void respondAnswersATopicRequestMadeThroughTheUnicastPeer() throws Exception {
    GossipNode hub = relay();
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    List<Topics> requests = new CopyOnWriteArrayList<>();
    inbox(hub, REQUEST, m -> {
      Topics asked = Topics.decode(m.data());
      requests.add(asked);
      return OutgoingMessage.respond(Topics.of(Topic.of("echo", asked.getString("q").orElse("?"))));
    });
    Peer hubPeer = client.getPeers(CONNECTED_OUT).get(0);
    assertThat(hubPeer).isInstanceOf(UnicastPeer.class);

    Topics answer = ((UnicastPeer) hubPeer).request(REQUEST, Topics.of(Topic.of("q", "ping"))).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(answer.getString("echo")).contains("ping");
    assertThat(answer.get(Topics.REQUEST_HASH_KEY)).as("the response names the request it answers").isPresent();
    assertThat(requests).singleElement().satisfies(t -> {
      assertThat(t.getString("q")).contains("ping");
      assertThat(t.get(Topics.NONCE_KEY)).as("request() adds a nonce").isPresent();
    });
  }

  @Test
  protected void equalRequestsEachGetTheirOwnResponse() throws Exception {
    GossipNode hub = relay();
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    AtomicInteger served = new AtomicInteger();
    inbox(hub, REQUEST, m -> OutgoingMessage.respond(Topics.of(Topic.of("n", Integer.toString(served.incrementAndGet())))));
    UnicastPeer hubPeer = (UnicastPeer) client.getPeers(CONNECTED_OUT).get(0);

    CompletableFuture<Topics> first = hubPeer.request(REQUEST, Topics.of(Topic.of("q", "same")));
    CompletableFuture<Topics> second = hubPeer.request(REQUEST, Topics.of(Topic.of("q", "same")));
    String n1 = first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getString("n").orElseThrow();
    String n2 = second.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getString("n").orElseThrow();
    assertThat(Set.of(n1, n2)).containsExactlyInAnyOrder("1", "2");
  }

  @Test
  protected void theSendersRespondAnswersTooAndRunsOnReleaseOnceSent() throws Exception {
    GossipNode hub = relay();
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    CompletableFuture<Void> released = new CompletableFuture<>();
    inbox(hub, REQUEST, m -> {
      ((UnicastPeer) m.sender()).respond(m, OutgoingMessage.respond(Topics.of(Topic.of("by", "respond()")), () -> released.complete(null)));
      return OutgoingMessage.ignore();
    });
    UnicastPeer hubPeer = (UnicastPeer) client.getPeers(CONNECTED_OUT).get(0);
    Topics answer = hubPeer.request(REQUEST, Topics.of(Topic.of("q", "direct"))).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(answer.getString("by")).contains("respond()");
    released.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  protected void aPendingRequestFailsWhenThePeerCloses() {
    GossipNode hub = relay();
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    Inbox atHub = inbox(hub, REQUEST, m -> OutgoingMessage.ignore());
    UnicastPeer hubPeer = (UnicastPeer) client.getPeers(CONNECTED_OUT).get(0);

    CompletableFuture<Topics> pending = hubPeer.request(REQUEST, Topics.of(Topic.of("q", "never answered")));
    Peer clientAtHub = eventually().until(() -> atHub.messages.stream().findFirst(), Optional::isPresent).orElseThrow().sender();
    hub.disconnect(clientAtHub);
    eventually().until(pending::isDone);
    assertThat(pending).isCompletedExceptionally();
  }

  @Test
  protected void aCancelledRequestsLateResponseIsDiscardedAndThePeerStays() throws Exception {
    GossipNode hub = relay();
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    // The hub answers "prompt" at once and "slow" only when the test says so.
    Inbox atHub = inbox(hub, REQUEST, m -> question(m).equals("prompt")
        ? OutgoingMessage.respond(Topics.of(Topic.of("a", "prompt")))
        : OutgoingMessage.ignore());
    Peer hubPeer = client.getPeers(CONNECTED_OUT).get(0);
    UnicastPeer unicast = (UnicastPeer) hubPeer;

    CompletableFuture<Topics> slow = unicast.request(REQUEST, Topics.of(Topic.of("q", "slow")));
    IncomingMessage slowAtHub = eventually()
        .until(() -> atHub.messages.stream().filter(m -> question(m).equals("slow")).findFirst(), Optional::isPresent)
        .orElseThrow();
    slow.cancel(false);
    ((UnicastPeer) slowAtHub.sender()).respond(slowAtHub, OutgoingMessage.respond(Topics.of(Topic.of("a", "late"))));
    // Asked after the late response was queued, so answered after it on the same connection.
    Topics prompt = unicast.request(REQUEST, Topics.of(Topic.of("q", "prompt"))).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(prompt.getString("a")).contains("prompt");
    assertThat(client.getPeers(CONNECTED_OUT)).as("a late response does not close the peer").contains(hubPeer);
  }

  @Test
  @DisplayName("a handler that throws does not stop the node from handling what comes next")
  protected void aHandlerThatThrowsDoesNotStopTheNode() {
    GossipNode hub = relay();
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    AtomicInteger thrown = new AtomicInteger();
    inbox(hub, BULK, m -> {
      thrown.incrementAndGet();
      throw new IllegalStateException("a handler bug");
    });
    Inbox after = inbox(hub, MARKER);
    Peer hubPeer = client.getPeers(CONNECTED_OUT).get(0);
    // More failures than a node is likely to have handler threads.
    for (int i = 0; i < 50; i++) {
      client.broadcast(BULK, text("boom " + i), false, null);
    }
    eventually().until(() -> thrown.get() == 50);
    client.broadcast(MARKER, text("still handled"), false, null);
    eventually().until(() -> after.has("still handled"));
    assertThat(client.getPeers(CONNECTED_OUT)).contains(hubPeer);
  }

  @Test
  protected void aSecondHandlerForATagIsRefusedAndClearHandlersRemovesThemAll() {
    GossipNode hub = relay();
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);
    Inbox cleared = inbox(hub, BULK);
    assertThatThrownBy(() -> hub.registerHandlers(List.of(new TaggedHandler(BULK, m -> OutgoingMessage.ignore()))))
        .isInstanceOf(IllegalStateException.class);

    hub.clearHandlers();
    Inbox marker = inbox(hub, MARKER);
    client.broadcast(BULK, text("after clear"), false, null);
    client.broadcast(MARKER, text("marker"), false, null);
    eventually().until(() -> marker.has("marker"));
    assertThat(cleared.texts()).as("a cleared handler gets nothing").isEmpty();

    Inbox again = inbox(hub, BULK);
    client.broadcast(BULK, text("registered again"), false, null);
    eventually().until(() -> again.has("registered again"));
  }

  @Test
  protected void aSecondValidatorForATagIsRefusedAndClearValidatorsRemovesThemAll() {
    GossipNode relay = relay();
    relay.registerValidators(List.of(new TaggedValidator(Tags.TX, m -> OutgoingMessage.accept()),
        new TaggedValidator(BULK, m -> OutgoingMessage.accept())));
    assertThatThrownBy(() -> relay.registerValidators(List.of(new TaggedValidator(Tags.TX, m -> OutgoingMessage.ignore()))))
        .isInstanceOf(IllegalStateException.class);
    relay.clearValidators();
    assertThatCode(() -> relay.registerValidators(List.of(new TaggedValidator(Tags.TX, m -> OutgoingMessage.accept()),
        new TaggedValidator(BULK, m -> OutgoingMessage.accept())))).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("validators see messages of pubsub tags; on other tags handlers get them and validators are ignored")
  protected void validatorsApplyToPubsubTagsOnly() {
    GossipNode far = relay();
    GossipNode near = start(NodeOptions.relay(name("relay")).withFanout(1).withRelayPeers(dial(far)));
    awaitPeers(far, CONNECTED_IN, 1);
    for (Tag tag : List.of(Tags.TX, BULK)) {
      Inbox validated = new Inbox(m -> OutgoingMessage.accept());
      far.registerValidators(List.of(new TaggedValidator(tag, validated::handle)));
      Inbox handled = inbox(far, tag);
      boolean pubsub = factory.capabilities().isPubsub(tag);
      sendUntilReceived(near, tag, "validated " + tag, pubsub ? validated : handled);
      if (!pubsub) {
        assertThat(validated.texts()).as("a validator of %s, which is not a pubsub tag here", tag).isEmpty();
      }
      far.clearValidators();
    }
  }

  // ================================================================ peers

  @Test
  protected void getPeersListsEachClassInTheOrderAsked() {
    Line line = line();
    Peer out = line.middle.getPeers(CONNECTED_OUT).get(0);
    Peer in = line.middle.getPeers(CONNECTED_IN).get(0);
    assertThat(line.middle.getPeers(CONNECTED_OUT)).containsExactly(out);
    assertThat(line.middle.getPeers(CONNECTED_IN)).containsExactly(in);
    assertThat(line.middle.getPeers(CONNECTED_OUT, CONNECTED_IN)).containsExactly(out, in);
    assertThat(line.middle.getPeers(CONNECTED_IN, CONNECTED_OUT)).containsExactly(in, out);
    assertThat(line.middle.getPeers()).isEmpty();
    assertThat(line.client.getPeers(CONNECTED_IN)).isEmpty();
    assertThat(line.far.getPeers(CONNECTED_OUT)).isEmpty();

    // The outgoing handle is the far relay: a broadcast that skips the incoming one reaches it.
    Inbox atFar = inbox(line.far, BULK);
    Inbox atClient = inbox(line.client, BULK);
    Inbox markerAtClient = inbox(line.client, MARKER);
    line.middle.broadcast(BULK, text("outward"), false, in);
    eventually().until(() -> atFar.has("outward"));
    line.middle.broadcast(MARKER, text("marker"), false, null);
    eventually().until(() -> markerAtClient.has("marker"));
    assertThat(atClient.texts()).doesNotContain("outward");
  }

  @Test
  protected void phonebookRelaysAreTheConfiguredRelaysAsHttpPeers() throws IOException {
    GossipNode hub = relay();
    hub.registerHttpHandler("/v1/{genesisID}/contract/who", req -> HttpResponse.text(200, "hub"));
    GossipNode client = client(hub);

    List<Peer> book = client.getPeers(PHONEBOOK_RELAYS);
    assertThat(book).allSatisfy(p -> assertThat(p).isInstanceOf(HttpPeer.class));
    assertThat(book.stream().map(p -> ((HttpPeer) p).address()).toList()).containsExactlyInAnyOrderElementsOf(dial(hub));
    for (Peer p : book) {
      HttpResponse r = ((HttpPeer) p).httpClient().send(HttpRequest.get("/v1/" + hub.genesisId() + "/contract/who"));
      assertThat(r.status()).as("GET through the phonebook entry %s", ((HttpPeer) p).address()).isEqualTo(200);
      assertThat(r.bodyText()).isEqualTo("hub");
    }
    assertThat(client.getPeers(PHONEBOOK_RELAYS)).as("handles on the same entries are equal").containsExactlyInAnyOrderElementsOf(book);
    assertThat(client.getPeers(PHONEBOOK_ARCHIVAL)).as("no archival node was configured").isEmpty();
    assertThat(hub.getPeers(PHONEBOOK_RELAYS)).as("the hub was given no relays").isEmpty();
  }

  @Test
  protected void transportConnectionsListTheConnectionsInEachDirection() throws IOException {
    GossipNode hub = relay();
    GossipNode other = relay();
    other.registerHttpHandler("/v1/{genesisID}/contract/who", req -> HttpResponse.text(200, "other"));
    GossipNode client = client(hub);
    awaitPeers(hub, CONNECTED_IN, 1);

    assertThat(client.getPeers(TRANSPORT_CONNECTIONS_OUT)).isNotEmpty().allSatisfy(GossipNodeContract::isConnectionInfo);
    assertThat(client.getPeers(TRANSPORT_CONNECTIONS_IN)).isEmpty();
    assertThat(hub.getPeers(TRANSPORT_CONNECTIONS_IN)).isNotEmpty().allSatisfy(GossipNodeContract::isConnectionInfo);
    assertThat(hub.getPeers(TRANSPORT_CONNECTIONS_OUT)).isEmpty();
    assertThat(stableIds(client.getPeers(TRANSPORT_CONNECTIONS_OUT)))
        .as("every gossip peer has a transport connection")
        .containsAll(stableIds(client.getPeers(CONNECTED_OUT)));

    // HTTP requests to a node that is not a gossip peer, at each of its addresses.
    for (String address : dial(other)) {
      HttpResponse r = client.httpClient(address).send(HttpRequest.get("/v1/" + other.genesisId() + "/contract/who"));
      assertThat(r.status()).as("GET over %s", address).isEqualTo(200);
    }
    assertThat(client.getPeers(CONNECTED_OUT)).hasSize(1);
    if (factory.capabilities().transportConnectionsBeyondGossipPeers()) {
      eventually().untilAsserted(() -> assertThat(stableIds(client.getPeers(TRANSPORT_CONNECTIONS_OUT)))
          .as("the HTTP-only connection is a transport connection")
          .hasSizeGreaterThan(stableIds(client.getPeers(CONNECTED_OUT)).size()));
    } else {
      assertThat(stableIds(client.getPeers(TRANSPORT_CONNECTIONS_OUT))).containsExactlyElementsOf(stableIds(client.getPeers(CONNECTED_OUT)));
      assertThat(stableIds(hub.getPeers(TRANSPORT_CONNECTIONS_IN))).containsExactlyElementsOf(stableIds(hub.getPeers(CONNECTED_IN)));
    }
  }

  @Test
  protected void disconnectClosesThatPeerWithBadData() {
    GossipNode hub = relay();
    GossipNode a = client(hub);
    GossipNode b = client(hub);
    awaitPeers(hub, CONNECTED_IN, 2);
    Peer aAtHub = handleAt(hub, a);
    Peer bAtHub = handleAt(hub, b);
    Peer aToHub = a.getPeers(CONNECTED_OUT).get(0);

    hub.disconnect(aAtHub);
    eventually().until(() -> !hub.getPeers(CONNECTED_IN).contains(aAtHub));
    eventually().until(() -> !a.getPeers(CONNECTED_OUT).contains(aToHub));
    assertCloseReason(aAtHub, DisconnectReason.BAD_DATA);
    assertThat(hub.getPeers(CONNECTED_IN)).as("the other peer stays").contains(bAtHub);

    // A peer handle names the network that can close it.
    assertThat(bAtHub).isInstanceOf(DisconnectablePeer.class);
    ((DisconnectablePeer) bAtHub).network().disconnect(bAtHub);
    eventually().until(() -> !hub.getPeers(CONNECTED_IN).contains(bAtHub));
  }

  @Test
  protected void disconnectPeersClosesEveryPeer() {
    Line line = line();
    List<Peer> before = line.middle.getPeers(CONNECTED_OUT, CONNECTED_IN);
    Peer clientToMiddle = line.client.getPeers(CONNECTED_OUT).get(0);
    Peer farFromMiddle = line.far.getPeers(CONNECTED_IN).get(0);

    line.middle.disconnectPeers();
    eventually().until(() -> line.middle.getPeers(CONNECTED_OUT, CONNECTED_IN).stream().noneMatch(before::contains));
    eventually().until(() -> !line.client.getPeers(CONNECTED_OUT).contains(clientToMiddle)
        && !line.far.getPeers(CONNECTED_IN).contains(farFromMiddle));
  }

  @Test
  protected void requestConnectOutgoingDialsAListedRelay() {
    GossipNode hub = relay();
    // A mesh interval of an hour: only the requested pass can dial again.
    GossipNode client = start(NodeOptions.client(name("client"), dial(hub)).withMeshInterval(Duration.ofHours(1)));
    awaitPeers(client, CONNECTED_OUT, 1);
    awaitPeers(hub, CONNECTED_IN, 1);
    Peer first = client.getPeers(CONNECTED_OUT).get(0);
    client.disconnectPeers();
    eventually().until(() -> !client.getPeers(CONNECTED_OUT).contains(first));

    client.requestConnectOutgoing(true);
    eventually().untilAsserted(() -> assertThat(client.getPeers(CONNECTED_OUT)).hasSize(1).doesNotContain(first));
    awaitPeers(hub, CONNECTED_IN, 1);
  }

  // ================================================================ HTTP

  @Test
  protected void httpHandlersAreServedWithPathVariablesAndTheGenesisId() throws IOException {
    GossipNode server = relay();
    server.registerHttpHandler("/v1/{genesisID}/contract/greet/{name}",
        req -> HttpResponse.text(200, "hello " + req.pathVariables().get("name")));
    GossipNode caller = start(NodeOptions.client(name("client"), List.of()));
    String genesis = server.genesisId();
    for (String address : dial(server)) {
      var http = caller.httpClient(address);
      HttpResponse ok = http.send(HttpRequest.get("/v1/" + genesis + "/contract/greet/world"));
      assertThat(ok.status()).as("GET over %s", address).isEqualTo(200);
      assertThat(ok.bodyText()).isEqualTo("hello world");
      assertThat(http.send(HttpRequest.get("/v1/another-genesis/contract/greet/world")).status())
          .as("another genesis ID over %s", address).isEqualTo(404);
      assertThat(http.send(HttpRequest.get("/v1/" + genesis + "/contract/nothing-here")).status())
          .as("an unknown path over %s", address).isEqualTo(404);
    }
  }

  @Test
  protected void aConnectedRelayServesHttpThroughItsPeerHandle() throws IOException {
    GossipNode hub = relay();
    hub.registerHttpHandler("/v1/{genesisID}/contract/who", req -> HttpResponse.text(200, "hub"));
    GossipNode client = client(hub);
    Peer hubPeer = client.getPeers(CONNECTED_OUT).get(0);
    assertThat(hubPeer).isInstanceOf(HttpPeer.class);
    HttpResponse r = ((HttpPeer) hubPeer).httpClient().send(HttpRequest.get("/v1/" + hub.genesisId() + "/contract/who"));
    assertThat(r.status()).as("GET through the peer at %s", ((HttpPeer) hubPeer).address()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("hub");
  }

  @Test
  protected void aHandlerThatThrowsGives500WithoutTheException() throws IOException {
    GossipNode server = relay();
    server.registerHttpHandler("/v1/{genesisID}/contract/broken", req -> {
      throw new IllegalStateException("secret detail");
    });
    GossipNode caller = start(NodeOptions.client(name("client"), List.of()));
    for (String address : dial(server)) {
      HttpResponse broken = caller.httpClient(address).send(HttpRequest.get("/v1/" + server.genesisId() + "/contract/broken"));
      assertThat(broken.status()).as("a throwing handler over %s", address).isEqualTo(500);
      assertThat(broken.bodyText()).as("the exception is not sent to the peer").doesNotContain("secret detail");
    }
  }

  @Test
  protected void aBodyOverTheLimitGets413() throws IOException {
    GossipNode server = relay();
    AtomicInteger calls = new AtomicInteger();
    server.registerHttpHandler("/v1/{genesisID}/contract/upload", Set.of("POST"),
        req -> HttpResponse.text(200, "stored " + calls.incrementAndGet()));
    GossipNode caller = start(NodeOptions.client(name("client"), List.of()));
    String path = "/v1/" + server.genesisId() + "/contract/upload";
    for (String address : dial(server)) {
      HttpResponse r = caller.httpClient(address).send(post(path, new byte[factory.maxHttpRequestBodyBytes() + 1]));
      assertThat(r.status()).as("a body over the limit over %s", address).isEqualTo(413);
    }
    assertThat(calls).as("the handler never ran").hasValue(0);
  }

  /**
   * A refused request must not spoil the connection it came on for the requests after it (a
   * client reuses connections): each round sends a body over the limit, then a small one.
   */
  @Test
  protected void aRequestAfterA413IsServed() throws IOException {
    GossipNode server = relay();
    server.registerHttpHandler("/v1/{genesisID}/contract/upload", Set.of("POST"), req -> HttpResponse.text(200, "stored"));
    GossipNode caller = start(NodeOptions.client(name("client"), List.of()));
    String path = "/v1/" + server.genesisId() + "/contract/upload";
    for (String address : dial(server)) {
      for (int round = 0; round < 5; round++) {
        assertThat(caller.httpClient(address).send(post(path, new byte[factory.maxHttpRequestBodyBytes() + 1])).status())
            .as("round %d over %s: too large", round, address).isEqualTo(413);
        assertThat(caller.httpClient(address).send(post(path, text("small"))).status())
            .as("round %d over %s: the request after the 413", round, address).isEqualTo(200);
      }
    }
  }

  @Test
  protected void aHandlerForSomeMethodsAnswersOtherMethodsWith405AndAllow() throws IOException {
    GossipNode server = relay();
    server.registerHttpHandler("/v1/{genesisID}/contract/echo", Set.of("POST"),
        req -> new HttpResponse(200, Map.of(), req.body()));
    GossipNode caller = start(NodeOptions.client(name("client"), List.of()));
    String path = "/v1/" + server.genesisId() + "/contract/echo";
    for (String address : dial(server)) {
      var http = caller.httpClient(address);
      HttpResponse posted = http.send(new HttpRequest("POST", path, "", Map.of(), Map.of(), text("body")));
      assertThat(posted.status()).as("POST over %s", address).isEqualTo(200);
      assertThat(posted.bodyText()).isEqualTo("body");
      HttpResponse got = http.send(HttpRequest.get(path));
      assertThat(got.status()).as("GET over %s", address).isEqualTo(405);
      assertThat(got.header("Allow")).isEqualTo("POST");
    }
  }

  // ================================================================ helpers

  /** A relay (listening) with default options. */
  protected final GossipNode relay() {
    return start(NodeOptions.relay(name("relay")));
  }

  /** A client dialing {@code relay}, once it has that outgoing peer. */
  protected final GossipNode client(GossipNode relay) {
    GossipNode c = start(NodeOptions.client(name("client"), dial(relay)));
    awaitPeers(c, CONNECTED_OUT, 1);
    return c;
  }

  /** Creates and starts a node; it is stopped after the test. */
  protected final GossipNode start(NodeOptions options) {
    GossipNode n = factory.create(options);
    synchronized (names) {
      names.put(n, options.name());
    }
    nodes.add(n);
    n.start();
    return n;
  }

  /** Every address other nodes dial {@code node} at. */
  protected final List<String> dial(GossipNode node) {
    return factory.dialAddresses(node);
  }

  /**
   * Waits until {@code node} has exactly {@code count} peers of the class {@code option}, lets the
   * factory wait for its connections to settle ({@link NodeFactory#awaitSettled}), and checks
   * again.
   */
  protected final void awaitPeers(GossipNode node, PeerOption option, int count) {
    eventually().untilAsserted(() -> assertThat(node.getPeers(option)).as("%s peers", option).hasSize(count));
    factory.awaitSettled(node);
    eventually().untilAsserted(() -> assertThat(node.getPeers(option)).as("%s peers once settled", option).hasSize(count));
  }

  /** Awaitility with the contract's timeout and a short poll interval. */
  protected static ConditionFactory eventually() {
    return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20));
  }

  private String name(String kind) {
    return kind + "-" + sequence.incrementAndGet();
  }

  /**
   * Three nodes in a line: {@code client} dials {@code middle}, a relay that dials the relay {@code
   * far}; returned once each has its peers, so {@code middle} has one outgoing and one incoming.
   */
  private Line line() {
    GossipNode far = relay();
    GossipNode middle = start(NodeOptions.relay(name("relay")).withFanout(1).withRelayPeers(dial(far)));
    awaitPeers(middle, CONNECTED_OUT, 1);
    GossipNode client = client(middle);
    awaitPeers(middle, CONNECTED_IN, 1);
    awaitPeers(far, CONNECTED_IN, 1);
    return new Line(far, middle, client);
  }

  private record Line(GossipNode far, GossipNode middle, GossipNode client) {}

  /**
   * {@code node}'s handle on its peer {@code from}: the sender of a message {@code from}
   * broadcasts.
   */
  private Peer handleAt(GossipNode node, GossipNode from) {
    Inbox hello;
    synchronized (hellos) {
      hello = hellos.computeIfAbsent(node, n -> inbox(n, HELLO));
    }
    String greeting;
    synchronized (names) {
      greeting = "hello from " + names.get(from) + " #" + sequence.incrementAndGet();
    }
    from.broadcast(HELLO, text(greeting), false, null);
    return eventually().until(() -> hello.find(greeting), Optional::isPresent).orElseThrow().sender();
  }

  /**
   * Broadcasts fresh messages of {@code tag} from {@code from} until {@code inbox} got one. A
   * pubsub transport delivers to the peers whose subscription it knows, which it learns some time
   * after the connection; a message published before that is lost, as pubsub messages are.
   */
  private static void sendUntilReceived(GossipNode from, Tag tag, String prefix, Inbox inbox) {
    AtomicInteger n = new AtomicInteger();
    long[] lastSent = {0};
    eventually().until(() -> {
      if (inbox.texts().stream().anyMatch(t -> t.startsWith(prefix))) {
        return true;
      }
      long now = System.nanoTime();
      if (n.get() == 0 || now - lastSent[0] > RESEND_INTERVAL.toNanos()) {
        lastSent[0] = now;
        from.broadcast(tag, text(prefix + " #" + n.incrementAndGet()), false, null);
      }
      return false;
    });
  }

  private void assertCloseReason(Peer peer, DisconnectReason expected) {
    Optional<CompletionStage<DisconnectReason>> reason = factory.closeReason(peer);
    if (reason.isEmpty()) {
      return; // not exposed by this implementation; the peer is gone, which was checked
    }
    assertThat(reason.get().toCompletableFuture()).succeedsWithin(WAIT).isEqualTo(expected);
  }

  private static void isConnectionInfo(Peer p) {
    assertThat(p).isInstanceOf(PeerConnectionInfo.class);
    PeerConnectionInfo c = (PeerConnectionInfo) p;
    assertThat(c.address()).isNotBlank();
    assertThat(c.networkType()).isNotBlank();
    assertThat(c.stableId()).isNotBlank();
  }

  private static List<String> stableIds(List<Peer> peers) {
    return peers.stream().filter(p -> p instanceof PeerConnectionInfo).map(p -> ((PeerConnectionInfo) p).stableId()).toList();
  }

  private static Set<String> newThreads(List<String> prefixes, Set<Long> before) {
    return LiveThreads.named(prefixes).entrySet().stream()
        .filter(e -> !before.contains(e.getKey()))
        .map(Map.Entry::getValue)
        .collect(Collectors.toSet());
  }

  private static final Pattern MULTIADDR_TCP = Pattern.compile("/tcp/(\\d+)");
  private static final Pattern HOST_PORT = Pattern.compile("^(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?(?:\\[[^]]*]|[^/:\\[]+):(\\d+)(?:/.*)?$");

  /** The TCP ports in addresses such as {@code http://127.0.0.1:4160}, {@code host:port} or {@code /ip4/.../tcp/4190/...}. */
  static List<Integer> tcpPorts(List<String> addresses) {
    List<Integer> out = new ArrayList<>();
    for (String a : addresses) {
      Matcher m = MULTIADDR_TCP.matcher(a);
      if (m.find()) {
        out.add(Integer.parseInt(m.group(1)));
        continue;
      }
      m = HOST_PORT.matcher(a);
      if (m.matches()) {
        out.add(Integer.parseInt(m.group(1)));
      }
    }
    return out;
  }

  private static boolean canBind(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The {@code q} topic of a topic request. */
  private static String question(IncomingMessage request) {
    return Topics.decode(request.data()).getString("q").orElse("");
  }

  private static HttpRequest post(String path, byte[] body) {
    return new HttpRequest("POST", path, "", Map.of(), Map.of(), body);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Inbox inbox(GossipNode node, Tag tag) {
    return inbox(node, tag, m -> OutgoingMessage.ignore());
  }

  private Inbox inbox(GossipNode node, Tag tag, Function<IncomingMessage, OutgoingMessage> action) {
    Inbox box = new Inbox(action);
    node.registerHandlers(List.of(new TaggedHandler(tag, box::handle)));
    return box;
  }

  /** A handler (or validator) that records every message and answers with {@code action}. */
  private static final class Inbox {
    final List<IncomingMessage> messages = new CopyOnWriteArrayList<>();
    private final Function<IncomingMessage, OutgoingMessage> action;

    Inbox(Function<IncomingMessage, OutgoingMessage> action) {
      this.action = action;
    }

    OutgoingMessage handle(IncomingMessage m) {
      messages.add(m);
      return action.apply(m);
    }

    List<String> texts() {
      return messages.stream().map(m -> new String(m.data(), StandardCharsets.UTF_8)).toList();
    }

    boolean has(String text) {
      return find(text).isPresent();
    }

    Optional<IncomingMessage> find(String text) {
      return messages.stream().filter(m -> new String(m.data(), StandardCharsets.UTF_8).equals(text)).findFirst();
    }
  }
}
