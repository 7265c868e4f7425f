package io.gossipnet.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshot's query string. */
class KvHttpTest {
  @Test
  void aQueryStringIsDecodedNameByName() {
    assertThat(KvHttp.query("after=a%20b&limit=10")).isEqualTo(Map.of("after", "a b", "limit", "10"));
    assertThat(KvHttp.query("after=x+y&&flag")).isEqualTo(Map.of("after", "x y", "flag", ""));
    assertThat(KvHttp.query("")).isEmpty();
    assertThat(KvHttp.query(null)).isEmpty();
  }

  @Test
  void aBadPercentEscapeIsAnIllegalArgument() {
    assertThatThrownBy(() -> KvHttp.query("after=%zz")).isInstanceOf(IllegalArgumentException.class);
  }
}
