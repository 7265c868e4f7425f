package io.gossipnet.libp2p.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpWireTest {
  private static InputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void readsContentLengthChunkedAndEofDelimitedBodies() throws Exception {
    InputStream a = in("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhelloEXTRA");
    HttpWire.Head h = HttpWire.readHead(a);
    assertThat(h.startLine()[1]).isEqualTo("200");
    assertThat(h.header("x-a")).isEqualTo("1");
    assertThat(new String(HttpWire.readBody(a, h, 100, true), StandardCharsets.US_ASCII)).isEqualTo("hello");

    InputStream b = in("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: 1\r\n\r\n");
    assertThat(new String(HttpWire.readBody(b, HttpWire.readHead(b), 100, true), StandardCharsets.US_ASCII))
        .isEqualTo("abcde");

    InputStream c = in("HTTP/1.1 200 OK\r\n\r\nuntil the end");
    assertThat(new String(HttpWire.readBody(c, HttpWire.readHead(c), 100, true), StandardCharsets.US_ASCII))
        .isEqualTo("until the end");
    InputStream d = in("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(HttpWire.readBody(d, HttpWire.readHead(d), 100, false)).isEmpty();
  }

  @Test
  void refusesOversizedAndMalformedMessages() {
    assertThatThrownBy(() -> HttpWire.readHead(in("GET / HTTP/1.1\r\nX: " + "a".repeat(20_000) + "\r\n\r\n")))
        .hasMessageContaining("head exceeds");
    assertThatThrownBy(() -> {
      InputStream s = in("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
      HttpWire.readBody(s, HttpWire.readHead(s), 100, true);
    }).hasMessageContaining("exceeds 100");
    assertThatThrownBy(() -> {
      InputStream s = in("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffff\r\n");
      HttpWire.readBody(s, HttpWire.readHead(s), 100, true);
    }).hasMessageContaining("exceeds 100");
    assertThatThrownBy(() -> {
      InputStream s = in("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(200));
      HttpWire.readBody(s, HttpWire.readHead(s), 100, true);
    }).hasMessageContaining("exceeds 100");
    assertThatThrownBy(() -> HttpWire.readHead(in("HTTP/1.1 200 OK\r\nno colon\r\n\r\n")))
        .hasMessageContaining("malformed HTTP header");
    assertThatThrownBy(() -> HttpWire.readHead(in("GET / HTTP/1.1\r\n"))).hasMessageContaining("ended inside");
  }
}
