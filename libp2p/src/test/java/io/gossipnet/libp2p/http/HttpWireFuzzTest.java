package io.gossipnet.libp2p.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.testkit.fuzz.Decoding;
import io.gossipnet.testkit.fuzz.Mutations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Fuzz properties of the HTTP/1.1 framing of HTTP over libp2p ({@link HttpWire#readHead} and
 * {@link HttpWire#readBody}: start line, headers, content-length, chunked and EOF-delimited
 * bodies, and their limits). The reader returns a head and a body within its limits or refuses
 * the input with {@link Libp2pException} ({@link HttpWire.BodyTooLargeException} for bodies over
 * the limit), and never allocates more than a small multiple of its input.
 */
class HttpWireFuzzTest {
  private static final long MAX_BODY = 4096;

  private static long allocationLimit(byte[] input) {
    // the head buffer, its text and lines, 8 KiB read buffers for bodies, the exception
    return 64 * 1024 + 32L * input.length;
  }

  /** A parsed message: the head and the body read after it. */
  private record Message(HttpWire.Head head, byte[] body) {}

  private static Message read(byte[] input, boolean untilEof, long maxBody) throws Exception {
    InputStream in = new ByteArrayInputStream(input);
    HttpWire.Head head = HttpWire.readHead(in);
    if (head == null) {
      return null;
    }
    return new Message(head, HttpWire.readBody(in, head, maxBody, untilEof));
  }

  private static Message request(byte[] input) throws Exception {
    return read(input, false, MAX_BODY);
  }

  private static Message response(byte[] input) throws Exception {
    return read(input, true, MAX_BODY);
  }

  // ------------------------------------------------------------------ generators

  /** How a generated message frames its body. */
  enum Framing { CONTENT_LENGTH, CHUNKED, NONE }

  /** A valid message as generated, and its encoding. */
  record Valid(String startLine, Map<String, List<String>> headers, byte[] body, Framing framing, byte[] encoded) {}

  private static Arbitrary<String> tokens() {
    return Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_', '0', '9').ofMinLength(1).ofMaxLength(16)
        .filter(t -> !t.equals("content-length") && !t.equals("transfer-encoding"));
  }

  private static Arbitrary<String> values() {
    return Arbitraries.strings().withCharRange('!', '~').withChars(' ').ofMaxLength(40).map(String::trim);
  }

  private static Arbitrary<Map<String, List<String>>> headerMaps() {
    return Combinators.combine(tokens(), values().list().ofMinSize(1).ofMaxSize(2)).as(Map::entry).list()
        .ofMaxSize(8).map(entries -> {
          Map<String, List<String>> m = new LinkedHashMap<>();
          entries.forEach(e -> m.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(e.getValue()));
          return m;
        });
  }

  private static Arbitrary<String> requestLines() {
    Arbitrary<String> methods = Arbitraries.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS");
    Arbitrary<String> targets = Arbitraries.strings().withCharRange('!', '~').ofMaxLength(30).map(t -> "/" + t);
    return Combinators.combine(methods, targets).as((m, t) -> m + " " + t + " HTTP/1.1");
  }

  private static Arbitrary<String> statusLines() {
    return Combinators.combine(Arbitraries.integers().between(100, 599), Arbitraries.of("OK", "Not Found", "Bad Request", ""))
        .as((s, r) -> "HTTP/1.1 " + s + " " + r);
  }

  private static Arbitrary<Valid> messages(Arbitrary<String> startLines, boolean untilEof) {
    Arbitrary<byte[]> bodies = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    return Combinators.combine(startLines, headerMaps(), bodies, Arbitraries.of(Framing.class),
        Arbitraries.integers().between(1, 64), Arbitraries.of(true, false)).as((start, headers, body, framing, chunk, ext) -> {
          Map<String, List<String>> h = new LinkedHashMap<>(headers);
          // without framing a request has no body, a response's body runs to the end
          byte[] b = framing == Framing.NONE && !untilEof ? new byte[0] : body;
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          switch (framing) {
            case CONTENT_LENGTH -> {
              h.put("content-length", List.of(String.valueOf(b.length)));
              out.writeBytes(HttpWire.encode(start, h, b, false));
            }
            case CHUNKED -> {
              h.put("transfer-encoding", List.of("chunked"));
              out.writeBytes(HttpWire.encode(start, h, new byte[0], false));
              for (int i = 0; i < b.length; i += chunk) {
                int n = Math.min(chunk, b.length - i);
                out.writeBytes((Integer.toHexString(n) + (ext ? ";x=y" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(b, i, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
              }
              out.writeBytes(("0\r\n" + (ext ? "trailer: 1\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            case NONE -> out.writeBytes(HttpWire.encode(start, h, b, false));
          }
          return new Valid(start, h, b, framing, out.toByteArray());
        });
  }

  @Provide
  Arbitrary<Valid> validRequests() {
    return messages(requestLines(), false);
  }

  @Provide
  Arbitrary<Valid> validResponses() {
    return messages(statusLines(), true);
  }

  @Provide
  Arbitrary<byte[]> fuzzedRequests() {
    return Mutations.of(messages(requestLines(), false).map(Valid::encoded), 512);
  }

  @Provide
  Arbitrary<byte[]> fuzzedResponses() {
    return Mutations.of(messages(statusLines(), true).map(Valid::encoded), 512);
  }

  // ------------------------------------------------------------------ properties

  @Property
  void aValidRequestSurvivesARoundTripWithItsHeadersAndBody(@ForAll("validRequests") Valid v) throws Exception {
    assertRoundTrip(v, request(v.encoded()));
  }

  @Property
  void aValidResponseSurvivesARoundTripWithItsHeadersAndBody(@ForAll("validResponses") Valid v) throws Exception {
    assertRoundTrip(v, response(v.encoded()));
  }

  private static void assertRoundTrip(Valid v, Message m) {
    assertThat(String.join(" ", m.head().startLine())).isEqualTo(v.startLine());
    Map<String, List<String>> expected = new LinkedHashMap<>();
    v.headers().forEach((k, vs) -> expected.put(k.toLowerCase(Locale.ROOT), vs));
    assertThat(m.head().headers()).isEqualTo(expected);
    assertThat(m.body()).isEqualTo(v.body());
  }

  @Property
  void aMutatedRequestIsReadWithinTheLimitsOrRefusedWithLibp2pException(@ForAll("fuzzedRequests") byte[] input) {
    Statistics.collect(Decoding.check(input, allocationLimit(input), b -> withinLimits(request(b)),
        Libp2pException.class));
  }

  @Property
  void aMutatedResponseIsReadWithinTheLimitsOrRefusedWithLibp2pException(@ForAll("fuzzedResponses") byte[] input) {
    Statistics.collect(Decoding.check(input, allocationLimit(input), b -> withinLimits(response(b)),
        Libp2pException.class));
  }

  @Provide
  Arbitrary<byte[]> random() {
    return Mutations.randomBytes(256);
  }

  @Property
  void randomBytesAreReadOrRefusedWithLibp2pException(@ForAll("random") byte[] input) {
    Statistics.collect(Decoding.check(input, allocationLimit(input), b -> withinLimits(response(b)),
        Libp2pException.class));
  }

  /** The server answers every fuzzed request with a status line, whatever the request. */
  @Property
  void theServerAnswersEveryMutatedRequestWithAStatusLine(@ForAll("fuzzedRequests") byte[] input) throws Exception {
    HttpServer server = new HttpServer(MAX_BODY).mount(null, "/", r -> HttpResponse.text(200, "text/plain", "ok"));
    MemoryStream s = new MemoryStream(new ByteArrayInputStream(input));
    server.handle(s);
    String answer = s.out.toString(StandardCharsets.ISO_8859_1);
    if (input.length > 0) {
      assertThat(answer).startsWith("HTTP/1.1 ");
      Statistics.collect(answer.substring(9, 12));
    }
  }

  private static Message withinLimits(Message m) {
    if (m != null) {
      assertThat(m.body().length).isLessThanOrEqualTo((int) MAX_BODY);
      assertThat(m.head().startLine().length).isBetween(2, 3);
      assertThat(m.head().headers().values().stream().mapToInt(List::size).sum()).isLessThanOrEqualTo(100);
    }
    return m;
  }

  // ------------------------------------------------------------------ limits and regressions

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void headsOver16KiBAndMoreThan100HeadersAreRefused() {
    assertThatThrownBy(() -> request(ascii("GET / HTTP/1.1\r\nx: " + "a".repeat(HttpWire.MAX_HEAD) + "\r\n\r\n")))
        .isInstanceOf(Libp2pException.class).hasMessageContaining("exceeds");
    assertThatThrownBy(() -> request(ascii("GET / HTTP/1.1\r\n" + "x: 1\r\n".repeat(101) + "\r\n")))
        .isInstanceOf(Libp2pException.class).hasMessageContaining("more than 100");
    byte[] big = ascii("GET / HTTP/1.1\r\n" + "x: 1\r\n".repeat(100_000) + "\r\n");
    assertThat(Decoding.check(big, 256 * 1024, HttpWireFuzzTest::request, Libp2pException.class))
        .isEqualTo(Decoding.Outcome.REFUSED);
  }

  @Test
  void bodiesOverTheLimitAreRefusedBeforeTheyAreRead() {
    for (String framing : List.of("content-length: 9223372036854775807", "content-length: 4097",
        "transfer-encoding: chunked\r\n\r\nffffffffffffff")) {
      byte[] in = ascii("POST / HTTP/1.1\r\n" + framing + "\r\n\r\n");
      assertThatThrownBy(() -> request(in)).isInstanceOf(HttpWire.BodyTooLargeException.class);
      assertThat(Decoding.check(in, 64 * 1024, HttpWireFuzzTest::request, Libp2pException.class))
          .isEqualTo(Decoding.Outcome.REFUSED);
    }
    assertThatThrownBy(() -> response(ascii("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(4097))))
        .isInstanceOf(HttpWire.BodyTooLargeException.class);
  }

  /** Regression: a head that is only a blank line ({@code \r\n\r\n}) threw ArrayIndexOutOfBounds. */
  @Test
  void aHeadWithoutAStartLineIsRefused() {
    for (String head : List.of("\r\n\r\n", "\n\n", "\r\n\n")) {
      assertThatThrownBy(() -> request(ascii(head))).isInstanceOf(Libp2pException.class)
          .hasMessageContaining("start line");
    }
  }

  /**
   * Regression: a chunk size near Long.MAX_VALUE after a first chunk overflowed the body limit
   * check ({@code out.size() + size}) and reached {@code readNBytes((int) size)}, which threw
   * IllegalArgumentException.
   */
  @Test
  void aChunkSizeThatOverflowsTheBodyLimitCheckIsRefusedAsTooLarge() {
    byte[] in = ascii("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\na\r\n7fffffffffffffff\r\n");
    assertThatThrownBy(() -> response(in)).isInstanceOf(HttpWire.BodyTooLargeException.class);
  }

  /**
   * Regression: with a body limit over 2 GiB (the server and client take a long), a content-length
   * or chunk size over Integer.MAX_VALUE was cast to a negative int and readNBytes threw
   * IllegalArgumentException. A body that does not fit an array is now too large.
   */
  @Test
  void aBodyLengthOverTwoGiBIsRefusedAsTooLargeWhateverTheLimit() {
    byte[] cl = ascii("POST / HTTP/1.1\r\ncontent-length: 2147483648\r\n\r\n");
    assertThatThrownBy(() -> read(cl, false, Long.MAX_VALUE)).isInstanceOf(HttpWire.BodyTooLargeException.class);
    byte[] chunked = ascii("POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n80000000\r\n");
    assertThatThrownBy(() -> read(chunked, false, Long.MAX_VALUE)).isInstanceOf(HttpWire.BodyTooLargeException.class);
  }

  private static final class MemoryStream implements Stream {
    final InputStream in;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    MemoryStream(InputStream in) {
      this.in = in;
    }

    /** Only a key for the server's per-connection count: every other method fails. */
    private static final Connection CONNECTION = (Connection) java.lang.reflect.Proxy.newProxyInstance(
        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          case "toString" -> "in-memory connection";
          default -> throw new UnsupportedOperationException("in-memory stream");
        });

    @Override
    public Connection connection() {
      return CONNECTION;
    }

    @Override
    public String protocol() {
      return "/http/1.1";
    }

    @Override
    public InputStream in() {
      return in;
    }

    @Override
    public OutputStream out() {
      return out;
    }

    @Override
    public void setReadTimeout(Duration timeout) {}

    @Override
    public void closeWrite() {}

    @Override
    public void reset() {}

    @Override
    public void close() {}
  }
}
