package io.gossipnet.p2p;

import io.gossipnet.libp2p.pubsub.GossipSubConfig;
import io.gossipnet.libp2p.pubsub.MessageIdFunction;
import io.gossipnet.libp2p.pubsub.PeerScoreParams;
import io.gossipnet.libp2p.pubsub.PeerScoreThresholds;
import io.gossipnet.libp2p.pubsub.RpcLimits;
import io.gossipnet.libp2p.pubsub.SignaturePolicy;
import io.gossipnet.libp2p.pubsub.TopicScoreParams;
import java.time.Duration;
import java.util.Map;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * GossipSub for the transaction topic as the seed configures it ({@code p2p/pubsub.go}:
 * {@code deriveAlgorandGossipSubParams} and {@code makePubSub}), expressed as the libp2p module's
 * {@link GossipSubConfig}.
 *
 * <p>The mesh degrees come from the number of outgoing connections ({@link #degrees}); the rest is
 * fixed: history 10 heartbeats, gossip factor 0.1, StrictNoSign, BLAKE2b-256 message IDs, 20
 * validation workers with a queue of 256, a subscription filter that allows only {@value
 * #TX_TOPIC} and at most {@value #MAX_SUBSCRIPTIONS_PER_RPC} subscriptions per RPC, no peer
 * exchange, and the seed's peer scoring. Two of the seed's parameters ({@link
 * #DIRECT_CONNECT_INITIAL_DELAY}, {@link #IWANT_FOLLOWUP_TIME}) and the subscription buffer have
 * no counterpart in {@link GossipSubConfig}; they are constants here for when it gets them.
 */
public final class GossipSubDerivation {
  /** The transaction topic: "algo" + tag + 2-character version (the seed's {@code TXTopicName}). */
  public static final String TX_TOPIC = "algotx01";

  /** Heartbeats of message history ({@code HistoryLength}). */
  public static final int HISTORY_LENGTH = 10;

  /** Heartbeats of history announced in IHAVE: go-libp2p-pubsub's default, kept by the seed. */
  public static final int HISTORY_GOSSIP = 3;

  /** Share of eligible peers that get IHAVE gossip ({@code GossipFactor}). */
  public static final double GOSSIP_FACTOR = 0.1;

  /** Delay before the first connection attempt to direct peers; not in {@link GossipSubConfig}. */
  public static final Duration DIRECT_CONNECT_INITIAL_DELAY = Duration.ofSeconds(30);

  /** How long a peer has to deliver a message it announced and we asked for; not in {@link GossipSubConfig}. */
  public static final Duration IWANT_FOLLOWUP_TIME = Duration.ofSeconds(5);

  /** Validation workers: the seed's {@code incomingThreads}, as many as the WS handler threads. */
  public static final int VALIDATION_WORKERS = 20;

  /** Messages waiting for validation before more are dropped ({@code WithValidateQueueSize}). */
  public static final int VALIDATION_QUEUE_SIZE = 256;

  /** Subscriptions accepted in one RPC ({@code WrapLimitSubscriptionFilter(..., 100)}). */
  public static final int MAX_SUBSCRIPTIONS_PER_RPC = 100;

  /** Messages buffered per subscription ({@code WithBufferSize}); not in {@link GossipSubConfig}. */
  public static final int SUBSCRIPTION_BUFFER_SIZE = 32768;

  /**
   * The application score the seed gives every peer. Its {@code AppSpecificWeight} is left at 0,
   * so the score adds nothing; {@link #peerScoreParams()} keeps that weight.
   */
  public static final double APP_SPECIFIC_SCORE = 1000;

  /** Below this score a peer neither gets nor is asked for gossip. */
  public static final double GOSSIP_THRESHOLD = -500;

  /** Below this score a peer gets no flood-published messages. */
  public static final double PUBLISH_THRESHOLD = -1000;

  /** Below this score a peer's RPCs are ignored. */
  public static final double GRAYLIST_THRESHOLD = -2500;

  /** Peer exchange is followed only from peers scoring at least this. */
  public static final double ACCEPT_PX_THRESHOLD = 1000;

  /** Mesh median below this grafts better peers. */
  public static final double OPPORTUNISTIC_GRAFT_THRESHOLD = 3.5;

  /** Score decay interval: go-libp2p-pubsub's {@code DefaultDecayInterval}. */
  public static final Duration DECAY_INTERVAL = Duration.ofSeconds(1);

  /** Counters below this decay to zero: go-libp2p-pubsub's {@code DefaultDecayToZero}. */
  public static final double DECAY_TO_ZERO = 0.01;

  /** The transaction topic's message ID: BLAKE2b-256 of the data (the seed's {@code txMsgID}). */
  public static final MessageIdFunction TX_MESSAGE_ID = (from, key, seqno, data) -> blake2b256(data);

  private GossipSubDerivation() {}

  /**
   * Mesh degrees.
   *
   * @param d desired mesh degree
   * @param dscore mesh peers kept by score when pruning
   * @param dout outbound mesh peers kept when pruning
   * @param dlo fewest mesh peers before grafting
   * @param dhi most mesh peers before pruning
   * @param dlazy peers that get IHAVE gossip
   */
  public record Degrees(int d, int dscore, int dout, int dlo, int dhi, int dlazy) {}

  /**
   * The seed's degrees for {@code outgoing} outgoing connections: from 12 on, D 8, Dscore 6, Dout 3,
   * Dlo 6, Dhi 12, Dlazy 12; none, all 0; up to 4, D 4, Dscore 1, Dout 1, Dlo 2, Dhi 4, Dlazy 4;
   * in between, D = n − n/3, Dlo = Dscore = 3D/4, Dout = 3D/8, Dhi = Dlazy = n (integer division).
   */
  public static Degrees degrees(int outgoing) {
    if (outgoing >= 12) {
      return new Degrees(8, 6, 3, 6, 12, 12);
    }
    if (outgoing <= 0) {
      return new Degrees(0, 0, 0, 0, 0, 0);
    }
    if (outgoing <= 4) {
      return new Degrees(4, 1, 1, 2, 4, 4);
    }
    int d = outgoing - outgoing / 3;
    return new Degrees(d, d * 3 / 4, d * 3 / 8, d * 3 / 4, outgoing, outgoing);
  }

  /**
   * The transaction topic's score: topic weight 0.1; time in mesh 0.0002778 per second, cap 1;
   * first deliveries 0.5, decaying to zero in 10 minutes, cap 100; invalid deliveries −1000,
   * decaying in an hour. Mesh delivery and mesh failure penalties are off (weight 0), as in the seed.
   */
  public static TopicScoreParams txTopicScoreParams() {
    return new TopicScoreParams(0.1, 0.0002778, Duration.ofSeconds(1), 1,
        0.5, PeerScoreParams.decayFor(DECAY_INTERVAL, Duration.ofMinutes(10)), 100,
        0, 0, 0, 0, Duration.ZERO, Duration.ZERO,
        0, 0,
        -1000, PeerScoreParams.decayFor(DECAY_INTERVAL, Duration.ofHours(1)));
  }

  /**
   * The seed's peer score parameters: only {@value #TX_TOPIC} is scored ({@link
   * #txTopicScoreParams()}); no topic score cap; the application score, IP colocation and the
   * behaviour penalty all weigh 0 (the seed sets none of their weights); decay every second to zero
   * below 0.01. The behaviour penalty decay must lie in (0, 1) for {@link PeerScoreParams} even at
   * weight 0; 0.9 is used, and has no effect.
   */
  public static PeerScoreParams peerScoreParams() {
    return new PeerScoreParams(Map.of(TX_TOPIC, txTopicScoreParams()), null, 0,
        0, 0, 1,
        0, 0, 0.9,
        DECAY_INTERVAL, DECAY_TO_ZERO);
  }

  /** The seed's thresholds: gossip −500, publish −1000, graylist −2500, accept PX 1000, opportunistic graft 3.5. */
  public static PeerScoreThresholds thresholds() {
    return new PeerScoreThresholds(GOSSIP_THRESHOLD, PUBLISH_THRESHOLD, GRAYLIST_THRESHOLD, ACCEPT_PX_THRESHOLD,
        OPPORTUNISTIC_GRAFT_THRESHOLD);
  }

  /** The whole configuration for {@code outgoing} outgoing connections. */
  public static GossipSubConfig config(int outgoing) {
    return builder(outgoing).build();
  }

  /**
   * A builder preset with {@link #config}'s values, for a caller that changes more (the seed's
   * optional heartbeat interval, for one).
   */
  public static GossipSubConfig.Builder builder(int outgoing) {
    Degrees g = degrees(outgoing);
    GossipSubConfig.Builder b = GossipSubConfig.builder()
        .degree(g.d(), g.dlo(), g.dhi(), g.dscore(), g.dout(), g.dlazy())
        .messageCache(HISTORY_LENGTH, HISTORY_GOSSIP)
        .gossipFactor(GOSSIP_FACTOR)
        .signaturePolicy(SignaturePolicy.STRICT_NO_SIGN)
        .messageIdFunction(TX_MESSAGE_ID)
        .allowTopics(TX_TOPIC)
        .validation(VALIDATION_WORKERS, VALIDATION_QUEUE_SIZE)
        .scoring(peerScoreParams(), thresholds())
        .doPx(false);
    RpcLimits defaults = GossipSubConfig.defaults().limits();
    return b.limits(new RpcLimits(MAX_SUBSCRIPTIONS_PER_RPC, defaults.maxMessages(), defaults.maxIHaveIds(),
        defaults.maxIWantIds(), defaults.maxIDontWantIds(), defaults.maxPruneMessages(), defaults.maxPxPeers()));
  }

  /** BLAKE2b-256 of {@code data} (null: of no bytes). */
  static byte[] blake2b256(byte[] data) {
    Blake2bDigest digest = new Blake2bDigest(256);
    byte[] in = data == null ? new byte[0] : data;
    digest.update(in, 0, in.length);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }
}
