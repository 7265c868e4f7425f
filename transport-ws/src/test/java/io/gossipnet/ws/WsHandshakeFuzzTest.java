package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import io.gossipnet.core.identity.Ed25519IdentityChallengeScheme;
import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.core.identity.IdentityChallengeScheme;
import io.gossipnet.core.identity.IdentityKeys;
import io.gossipnet.testkit.fuzz.Decoding;
import io.gossipnet.testkit.fuzz.Mutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import org.eclipse.jetty.http.HttpFields;

/**
 * Fuzz tests of the server's handshake header checks ({@link WsHandshakeCheck}, the seed's
 * {@code ServeHTTP} after the limits): in memory, any header set, made from the valid one by
 * dropping, duplicating, blowing up or replacing headers (non-ASCII, bad version lists, bad
 * genesis, bad random, bad identity-challenge base64 and msgpack), is accepted or refused with the
 * status the documented order gives, and nothing escapes. One live property sends such requests
 * over a raw socket to a real node, which answers each with a status and then still accepts a
 * valid peer and delivers its message.
 */
class WsHandshakeFuzzTest {
  private static final String GENESIS = WsTestNodes.GENESIS;
  private static final String OUR_ADDRESS = "http://127.0.0.1:4160";
  private static final WsHeaderNames N = WsHeaderNames.defaults();
  private static final WsConfig WS = WsConfig.defaults();
  private static final WsConfig WS_TWO_VERSIONS = WsConfig.builder().supportedVersions(List.of("2.2", "2.1")).build();
  private static final String OUR_RANDOM = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  private static final IdentityChallengeScheme SERVER_IDENTITY = new Ed25519IdentityChallengeScheme(IdentityKeys.generate(), List.of(OUR_ADDRESS));
  private static final IdentityChallengeScheme CLIENT_IDENTITY = new Ed25519IdentityChallengeScheme(IdentityKeys.generate(), List.of());
  /** Valid challenges for our address: answered with a pending identity. */
  private static final List<String> CHALLENGES_FOR_US = challenges(OUR_ADDRESS, 4);
  /** Valid challenges for another address: the connection goes ahead without identity. */
  private static final List<String> CHALLENGES_FOR_OTHERS = challenges("http://10.0.0.9:4160", 2);

  private static List<String> challenges(String address, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(CLIENT_IDENTITY.createChallenge(address).headerValue());
    }
    return List.copyOf(out);
  }

  /** One generated request: its header fields in order, its path's genesis, and how the identity header was made. */
  record Request(List<Map.Entry<String, String>> fields, String pathGenesis, boolean withScheme, boolean twoVersions) {
    /** How the first identity-challenge value was made (the first value is the one checked). */
    IdentityKind identity() {
      String v = first(N.identityChallenge());
      if (v == null) {
        return IdentityKind.NONE;
      }
      return CHALLENGES_FOR_US.contains(v) ? IdentityKind.FOR_US : CHALLENGES_FOR_OTHERS.contains(v) ? IdentityKind.FOR_OTHERS : IdentityKind.MUTATED;
    }

    HttpFields httpFields() {
      HttpFields.Mutable h = HttpFields.build();
      for (Map.Entry<String, String> e : fields) {
        h.add(e.getKey(), e.getValue());
      }
      return h;
    }

    /** The first value of {@code name} (case-insensitive), or null: what {@code HttpFields.get} returns. */
    String first(String name) {
      return fields.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    List<String> all(String name) {
      return fields.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    byte[] describe() {
      return (pathGenesis + " " + fields).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** How the identity-challenge header's first value was made. */
  enum IdentityKind { NONE, FOR_US, FOR_OTHERS, MUTATED }

  // ---------------------------------------------------------------- generators

  private static Arbitrary<String> nonAscii() {
    return Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMinLength(1).ofMaxLength(40);
  }

  private static Arbitrary<String> oversized() {
    return Arbitraries.integers().between(257, 20_000).map(n -> "x".repeat(n));
  }

  /** Wrong values for any header: empty, blank, non-ASCII, oversized, random printable. */
  private static Arbitrary<String> junk() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just("")),
        Tuple.of(1, Arbitraries.of(" ", "\t", ",", ", ,")),
        Tuple.of(2, nonAscii()),
        Tuple.of(1, oversized()),
        Tuple.of(2, Arbitraries.strings().ascii().ofMaxLength(30)));
  }

  /** Version lists: known and unknown versions, blanks and whitespace, joined by commas. */
  private static Arbitrary<String> versionList() {
    Arbitrary<String> one = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of("2.2", "2.1", "1", "3.0", "2.2x", "2", "", " 2.2 ", "\t2.1", "2.2\u00a0", "\u20022.2", "2,2")),
        Tuple.of(1, junk()));
    return one.list().ofMinSize(1).ofMaxSize(4).flatMap(parts -> Arbitraries.of(",", ", ", " ,", ",,").map(sep -> String.join(sep, parts)));
  }

  /** A random header: a fresh valid one, ours (self), or junk. */
  private static Arbitrary<String> random() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.bytes().array(byte[].class).ofSize(10).map(b -> Base64.getEncoder().encodeToString(b))),
        Tuple.of(1, Arbitraries.just(OUR_RANDOM)),
        Tuple.of(1, Arbitraries.just(" " + OUR_RANDOM)),
        Tuple.of(2, junk()));
  }

  /** Identity-challenge values with how they were made. */
  private static Arbitrary<Tuple.Tuple2<IdentityKind, String>> identity() {
    Arbitrary<byte[]> decoded = Mutations.of(CHALLENGES_FOR_US.stream().map(s -> Base64.getDecoder().decode(s)).toList(), 600);
    Arbitrary<String> mutatedBase64 = Combinators.combine(Arbitraries.of(CHALLENGES_FOR_US), Arbitraries.integers().between(0, 10_000), Arbitraries.chars(), Arbitraries.of(false, true))
        .as((v, at, c, cut) -> {
          int i = at % (v.length() + 1);
          return cut ? v.substring(0, i) : v.substring(0, i) + c + v.substring(Math.min(v.length(), i + 1));
        });
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(CHALLENGES_FOR_US).map(v -> Tuple.of(IdentityKind.FOR_US, v))),
        Tuple.of(1, Arbitraries.of(CHALLENGES_FOR_OTHERS).map(v -> Tuple.of(IdentityKind.FOR_OTHERS, v))),
        Tuple.of(6, decoded.map(b -> Tuple.of(IdentityKind.MUTATED, Base64.getEncoder().encodeToString(b)))),
        Tuple.of(3, mutatedBase64.map(v -> Tuple.of(IdentityKind.MUTATED, v))),
        Tuple.of(1, junk().map(v -> Tuple.of(IdentityKind.MUTATED, v))),
        Tuple.of(1, oversized().map(v -> Tuple.of(IdentityKind.MUTATED, v.replace('x', 'A')))));
  }

  /** The values one header gets: its valid value (most often), none, two, or wrong ones. */
  private static Arbitrary<List<String>> values(Arbitrary<String> valid, Arbitrary<String> wrong) {
    return Arbitraries.frequencyOf(
        Tuple.of(6, valid.map(List::of)),
        Tuple.of(1, Arbitraries.just(List.<String>of())),
        Tuple.of(1, Combinators.combine(valid, Arbitraries.oneOf(valid, wrong)).as(List::of)),
        Tuple.of(1, Combinators.combine(wrong, valid).as(List::of)),
        Tuple.of(2, wrong.map(List::of)));
  }

  /** A header name as a peer may spell it: the same name in another case. */
  private static Arbitrary<String> spelling(String name) {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.just(name)),
        Tuple.of(1, Arbitraries.just(name.toLowerCase(java.util.Locale.ROOT))),
        Tuple.of(1, Arbitraries.just(name.toUpperCase(java.util.Locale.ROOT))));
  }

  private static Arbitrary<List<Map.Entry<String, String>>> header(String name, Arbitrary<String> valid, Arbitrary<String> wrong) {
    return Combinators.combine(spelling(name), values(valid, wrong)).as((n, vs) -> vs.stream().map(v -> Map.entry(n, v)).toList());
  }

  @Provide
  Arbitrary<Request> requests() {
    Arbitrary<List<Map.Entry<String, String>>> randomH = header(N.nodeRandom(), random().filter(v -> !v.isEmpty() && !v.equals(OUR_RANDOM)), random());
    Arbitrary<List<Map.Entry<String, String>>> accept = header(N.acceptVersion(), Arbitraries.just("2.2"), versionList());
    Arbitrary<List<Map.Entry<String, String>>> version = header(N.version(), Arbitraries.just("2.2"), versionList());
    Arbitrary<List<Map.Entry<String, String>>> genesisH = header(N.genesis(), Arbitraries.just(GENESIS), junk());
    Arbitrary<List<Map.Entry<String, String>>> others = Combinators.combine(
            header(N.telemetryId(), Arbitraries.just("8d0f1bd4-6f0c-4a3c-9a2e-0c8b1d3f4e5a"), junk()),
            header(N.instanceName(), Arbitraries.just("node-1"), junk()),
            header(N.location(), Arbitraries.just("http://127.0.0.1:5555"), junk()),
            header(N.peerFeatures(), Arbitraries.of("ppzstd", "ppzstd,x", ""), Arbitraries.strings().withChars("ab,\u00e9 ").ofMaxLength(200)),
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12).map(s -> "X-" + s).flatMap(k -> junk().map(v -> Map.entry(k, v))).list().ofMaxSize(3))
        .as((a, b, c, d, e) -> {
          List<Map.Entry<String, String>> all = new ArrayList<>(a);
          all.addAll(b);
          all.addAll(c);
          all.addAll(d);
          all.addAll(e);
          return all;
        });
    Arbitrary<Tuple.Tuple2<IdentityKind, List<Map.Entry<String, String>>>> identityH = Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(Tuple.of(IdentityKind.NONE, List.<Map.Entry<String, String>>of()))),
        Tuple.of(5, Combinators.combine(spelling(N.identityChallenge()), identity(), Arbitraries.oneOf(Arbitraries.just(""), identity().map(Tuple.Tuple2::get2)).optional())
            .as((n, first, second) -> {
              List<Map.Entry<String, String>> l = new ArrayList<>();
              l.add(Map.entry(n, first.get2()));
              second.ifPresent(s -> l.add(Map.entry(n, s)));
              return Tuple.of(first.get1(), (List<Map.Entry<String, String>>) l);
            })));
    Arbitrary<String> pathGenesis = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.just(GENESIS)),
        Tuple.of(1, Arbitraries.of("", "test-v2", "TEST-V1", "test-v1 ", "test\u00e9v1")),
        Tuple.of(1, Arbitraries.just((String) null)),
        Tuple.of(1, junk()));
    return Combinators.combine(randomH, accept, version, genesisH, others, identityH, pathGenesis, Arbitraries.integers().between(0, 9))
        .as((r, a, v, g, o, id, pg, flags) -> {
          List<Map.Entry<String, String>> all = new ArrayList<>();
          all.addAll(r);
          all.addAll(a);
          all.addAll(v);
          all.addAll(g);
          all.addAll(o);
          all.addAll(id.get2());
          // A shuffle of the header order keeps "first value wins" honest.
          java.util.Collections.rotate(all, flags);
          return new Request(List.copyOf(all), pg, flags != 0, flags % 3 == 0);
        })
        .withoutEdgeCases();
  }

  // ---------------------------------------------------------------- the in-memory property

  /** The status the documented order gives, or -1 where it depends on the identity header's bytes (0 or 412). */
  private static int expectedStatus(Request r, WsConfig ws) {
    String version = null;
    for (String v : r.all(N.acceptVersion())) {
      for (String part : v.split(",")) {
        if (version == null && ws.supportedVersions().contains(part.trim())) {
          version = part.trim();
        }
      }
    }
    String v = r.first(N.version());
    if (version == null && (v == null || !ws.supportedVersions().contains(v.trim()))) {
      return 412;
    }
    if (r.pathGenesis() == null || r.pathGenesis().isEmpty()) {
      return 404;
    }
    if (!r.pathGenesis().equals(GENESIS)) {
      return 412;
    }
    String random = r.first(N.nodeRandom());
    if (random == null || random.isEmpty()) {
      return 412;
    }
    if (random.equals(OUR_RANDOM)) {
      return 508;
    }
    if (!r.withScheme()) {
      return 0;
    }
    return switch (r.identity()) {
      case NONE, FOR_US, FOR_OTHERS -> 0;
      case MUTATED -> r.first(N.identityChallenge()).isEmpty() ? 0 : -1;
    };
  }

  @Property
  void anyHeaderSetIsAcceptedOrRefusedWithTheDocumentedStatus(@ForAll("requests") Request r) {
    WsConfig ws = r.twoVersions() ? WS_TWO_VERSIONS : WS;
    IdentityChallengeScheme scheme = r.withScheme() ? SERVER_IDENTITY : null;
    WsHandshakeCheck.Result[] out = new WsHandshakeCheck.Result[1];
    // No exception of any kind may escape; the allocation bound is generous (oversized headers are
    // up to 20,000 characters and are copied by the sanitising and the base64 decoder).
    Decoding.check(r.describe(), 1L << 20, in -> out[0] = WsHandshakeCheck.check(ws, GENESIS, OUR_RANDOM, scheme, r.pathGenesis(), r.httpFields()));
    WsHandshakeCheck.Result res = out[0];
    int expected = expectedStatus(r, ws);
    if (expected >= 0) {
      assertThat(res.status()).as("status for %s", r).isEqualTo(expected);
    } else {
      assertThat(res.status()).as("status for %s", r).isIn(0, 412);
    }
    if (res.accepted()) {
      assertThat(ws.supportedVersions()).contains(res.version());
      assertThat(res.handshake().protocolVersion()).isEqualTo(res.version());
      assertSanitised(res.handshake().telemetryGuid());
      assertSanitised(res.handshake().instanceName());
      assertThat(res.handshake().features()).hasSizeLessThanOrEqualTo(16);
      res.handshake().features().forEach(WsHandshakeFuzzTest::assertSanitised);
      boolean pending = res.handshake().identity() instanceof HandshakeIdentity.Pending;
      if (r.withScheme() && r.identity() == IdentityKind.FOR_US) {
        assertThat(pending).isTrue();
        assertThat(res.reply().headerValue()).isNotEmpty();
      }
      if (!r.withScheme() || r.identity() == IdentityKind.NONE || r.identity() == IdentityKind.FOR_OTHERS) {
        assertThat(res.handshake().identity()).isEqualTo(HandshakeIdentity.NONE);
      }
      assertThat(res.identityError()).isNull();
    } else {
      assertThat(res.text()).isNotEmpty();
      assertThat(res.handshake()).isNull();
      // The refusal text is ours, with at most one sanitised header value in it.
      assertThat(res.text().length()).isLessThanOrEqualTo(64 + 256 + 3);
      assertThat(res.text().chars().allMatch(c -> (c >= 0x20 && c <= 0x7e) || c == '\u25af')).as("sanitised: %s", res.text()).isTrue();
      assertThat(res.identityError() != null).isEqualTo(res.status() == 412 && res.text().equals("invalid identity challenge"));
    }
    Statistics.label("outcome").collect(res.accepted() ? "accepted" : "refused");
    Statistics.label("status").collect(res.status() == 0 ? "accepted" : res.status() + " " + res.text().replaceAll(":.*", ""));
  }

  private static void assertSanitised(String s) {
    assertThat(s.length()).isLessThanOrEqualTo(256 + 3);
    assertThat(s.chars().allMatch(c -> (c >= 0x20 && c <= 0x7e) || c == '\u25af')).as("sanitised: %s", s).isTrue();
  }

  /** Features and sanitising of an accepted request carry no raw bytes into the handshake. */
  @Property
  void acceptedFeaturesAreSanitisedAndCapped(@ForAll("featureLists") String header) {
    Set<String> f = WsHandshakeCheck.features(header);
    assertThat(f).hasSizeLessThanOrEqualTo(16);
    f.forEach(WsHandshakeFuzzTest::assertSanitised);
    Statistics.label("features").collect(f.isEmpty() ? "none" : f.size() < 16 ? "some" : "capped at 16");
  }

  @Provide
  Arbitrary<String> featureLists() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("a,b ,\u00e9\u0000\t").ofMaxLength(300),
        Arbitraries.integers().between(0, 40).map(n -> String.join(",", java.util.Collections.nCopies(n, "f")).replace("f", "f" + n)),
        Arbitraries.integers().between(0, 40).flatMap(n -> Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5).list().ofSize(n).map(l -> String.join(",", l))));
  }

  // ---------------------------------------------------------------- the live property

  /** Against a real node: its own lifecycle, so the in-memory properties start no node. */
  @Group
  class Live {
    private static final String PATH = "/v1/" + GENESIS + "/gossip";
    private static final Tag SMALL = Tag.of("ZZ", 1000, false, false);
    private WsTestNodes nodes;
    private WsNetwork server;
    private List<IncomingMessage> received;

    @BeforeProperty
    void startNode() {
      nodes = new WsTestNodes();
      server = nodes.start(b -> b.tags(Tags.defaultsPlus(SMALL)));
      received = WsTestNodes.record(server, SMALL);
    }

    @AfterProperty
    void checkAndStopNode() throws IOException {
      try {
        if (server != null) {
          // Whatever came before, the node still accepts a valid peer and delivers its message.
          await().atMost(Duration.ofSeconds(20)).until(() -> server.connectedPeers().isEmpty());
          try (RawWsClient c = RawWsClient.upgrade(server.localPort(), PATH, RawWsClient.validHeaders(GENESIS))) {
            assertThat(c.status).isEqualTo(101);
            WsTestNodes.awaitPeers(server, 1);
            int before = received.size();
            c.sendMessage("ZZ", new byte[] {4, 2});
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == before + 1);
            assertThat(received.get(before).data()).containsExactly(4, 2);
          }
        }
      } finally {
        if (nodes != null) {
          nodes.close();
        }
      }
    }

    /** Header values that survive the raw client's ISO-8859-1 request line by line: no CR, LF or NUL. */
    private static Arbitrary<String> liveJunk() {
      return Arbitraries.frequencyOf(
          Tuple.of(1, Arbitraries.just("")),
          Tuple.of(2, Arbitraries.strings().withCharRange(' ', '\u00ff').withChars('\t', '\u20ac').ofMaxLength(40)),
          Tuple.of(1, Arbitraries.integers().between(257, 12_000).map(n -> "y".repeat(n))),
          Tuple.of(2, Arbitraries.strings().ascii().ofMaxLength(30).map(s -> s.replaceAll("[\\x00-\\x1f\\x7f]", "_"))));
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, Map<String, String>>> liveRequests() {
      Arbitrary<String> path = Arbitraries.frequencyOf(
          Tuple.of(6, Arbitraries.just(PATH)),
          Tuple.of(1, Arbitraries.of("/v1/test-v2/gossip", "/v1//gossip", "/v1/test%2Dv1/gossip", "/v1/%ZZ/gossip", "/v1/" + GENESIS + "/gossip?x=1")));
      List<String> names = List.of(N.nodeRandom(), N.acceptVersion(), N.version(), N.genesis(), N.telemetryId(), N.instanceName(), N.location(), N.peerFeatures(), N.identityChallenge());
      Arbitrary<Map.Entry<String, String>> change = Combinators.combine(Arbitraries.of(names), liveJunk(), Arbitraries.integers().between(0, 4))
          .as((name, value, how) -> switch (how) {
            case 0 -> Map.entry(name, "\u0000drop");
            case 1 -> Map.entry(name.toLowerCase(java.util.Locale.ROOT), value); // a second field of the same name
            default -> Map.entry(name, value);
          });
      Arbitrary<String> challenge = Arbitraries.frequencyOf(
          Tuple.of(1, Arbitraries.just("")),
          Tuple.of(2, Mutations.of(CHALLENGES_FOR_US.stream().map(s -> Base64.getDecoder().decode(s)).toList(), 600).map(b -> Base64.getEncoder().encodeToString(b))));
      return Combinators.combine(path, change.list().ofMaxSize(4), challenge, Arbitraries.of(false, true))
          .as((p, changes, ch, self) -> {
            Map<String, String> h = new LinkedHashMap<>(RawWsClient.validHeaders(GENESIS));
            if (!ch.isEmpty()) {
              h.put(N.identityChallenge(), ch);
            }
            for (Map.Entry<String, String> c : changes) {
              if (c.getValue().equals("\u0000drop")) {
                h.remove(c.getKey());
              } else {
                h.put(c.getKey(), c.getValue());
              }
            }
            return Tuple.of(p, (Map<String, String>) h);
          });
    }

    @Property(tries = 100)
    void aLiveNodeAnswersEveryMutatedUpgradeWithAStatus(@ForAll("liveRequests") Tuple.Tuple2<String, Map<String, String>> req) throws IOException {
      int status;
      try (RawWsClient c = RawWsClient.upgrade(server.localPort(), req.get1(), req.get2())) {
        status = c.status;
      }
      // 101 upgraded; 400 malformed; 404/412/508 the handshake checks; 431 headers too large; 503 per-IP limit.
      assertThat(status).as("status for %s", req).isIn(101, 400, 404, 412, 431, 503, 508);
      if (status == 101) {
        await().atMost(Duration.ofSeconds(20)).until(() -> server.connectedPeers().isEmpty());
      }
      Statistics.label("outcome").collect(status == 101 ? "accepted" : "refused");
      Statistics.label("status").collect(status);
    }
  }
}
