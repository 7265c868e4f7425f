package io.gossipnet.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The snapshot's JSON pages: what a node serves reads back as its entries, and a peer's page is read within bounds. */
class KvJsonTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KvJson.Page parse(String json) {
    return KvJson.parse(utf8(json));
  }

  private static List<KvWrite> writes(KvStore store) {
    List<KvWrite> out = new ArrayList<>();
    store.entriesAfter(null).forEach(e -> out.add(new KvWrite(e.key(), e.value(), e.version())));
    return out;
  }

  @Test
  void aPageReadsBackAsTheStoresEntriesWithTextAndBinaryValues() {
    KvStore store = new KvStore("me", 100);
    store.merge("text", utf8("héllo \"world\"\n"), new Version(5, "a"));
    store.merge("binary", new byte[] {0, (byte) 0xff, (byte) 0xc3, 0x28}, new Version(6, "b"));
    store.merge("empty", new byte[0], new Version(7, "c"));
    String json = KvJson.page(store, null, 1000);
    assertThat(json).contains("\"value\":\"héllo \\\"world\\\"\\n\"").contains("\"base64\":\"AP/DKA==\"");
    KvJson.Page page = KvJson.parse(utf8(json));
    assertThat(page.node()).isEqualTo("me");
    assertThat(page.count()).isEqualTo(3);
    assertThat(page.digest()).isEqualTo(store.digest());
    assertThat(page.entries()).containsExactlyElementsOf(writes(store));
    assertThat(page.next()).isNull();
  }

  @Test
  void limitZeroGivesTheCountAndDigestAlone() {
    KvStore store = new KvStore("me", 100);
    store.merge("k", utf8("v"), new Version(1, "a"));
    KvJson.Page page = KvJson.parse(utf8(KvJson.page(store, null, 0)));
    assertThat(page.entries()).isEmpty();
    assertThat(page.count()).isEqualTo(1);
    assertThat(page.digest()).isEqualTo(store.digest());
    assertThat(page.next()).isNull();
  }

  @Test
  void aLargeStoreIsServedInPagesThatEachNameTheKeyToContinueAfter() {
    KvStore store = new KvStore("me", 5000);
    for (int i = 0; i < 2500; i++) {
      store.merge(String.format("key-%05d", i), utf8("v" + i), new Version(i, "a"));
    }
    List<KvWrite> all = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      KvJson.Page page = KvJson.parse(utf8(KvJson.page(store, after, KvJson.MAX_PAGE_ENTRIES)));
      all.addAll(page.entries());
      after = page.next();
      pages++;
    } while (after != null);
    assertThat(pages).isEqualTo(3);
    assertThat(all).containsExactlyElementsOf(writes(store));
  }

  @Test
  void aPageStopsBeforeItsJsonCouldPassOneMebibyte() {
    KvStore store = new KvStore("me", 1000);
    String worstText = "\u0001".repeat(KvStore.MAX_VALUE_BYTES); // each escaped as \\u0001: 6 bytes
    for (int i = 0; i < 100; i++) {
      store.merge("k" + i, utf8(worstText), new Version(1, "a"));
    }
    String json = KvJson.page(store, null, KvJson.MAX_PAGE_ENTRIES);
    assertThat(utf8(json).length).isLessThanOrEqualTo(KvJson.MAX_PAGE_BYTES);
    KvJson.Page page = KvJson.parse(utf8(json));
    assertThat(page.entries()).hasSizeBetween(1, 99);
    assertThat(page.next()).isEqualTo(page.entries().getLast().key());
  }

  @Test
  void aPeersPageThatIsNotAValidSnapshotIsAnIllegalArgument() {
    String ok = "{\"node\":\"p\",\"count\":1,\"digest\":\"0000000000000001\",\"entries\":[%s]}";
    String entry = "{\"key\":\"k\",\"value\":\"v\",\"version\":{\"ts\":1,\"node\":\"n\"}}";
    assertThat(parse(ok.formatted(entry)).entries()).hasSize(1);
    for (String bad : List.of(
        "",
        "not json",
        "[]",
        "{}",
        "null",
        ok.formatted(entry).replace("\"count\":1", "\"count\":-1"),
        ok.formatted(entry).replace("\"count\":1", "\"count\":1e99"),
        ok.formatted(entry).replace("0000000000000001", "xyz"),
        ok.formatted(entry).replace("\"node\":\"p\"", "\"node\":\"has space\""),
        ok.formatted("1"),
        ok.formatted(entry.replace("\"key\":\"k\"", "\"key\":\"\"")),
        ok.formatted(entry.replace("\"key\":\"k\"", "\"key\":\"" + "k".repeat(257) + "\"")),
        ok.formatted(entry.replace("\"value\":\"v\"", "\"value\":\"" + "v".repeat(KvStore.MAX_VALUE_BYTES + 1) + "\"")),
        ok.formatted(entry.replace("\"value\":\"v\"", "\"base64\":\"!!!\"")),
        ok.formatted(entry.replace("\"value\":\"v\"", "\"value\":\"v\",\"base64\":\"AA==\"")),
        ok.formatted(entry.replace("\"value\":\"v\"", "\"value\":1")),
        ok.formatted(entry.replace("\"ts\":1", "\"ts\":-1")),
        ok.formatted(entry.replace("\"ts\":1", "\"ts\":1.5")),
        ok.formatted(entry.replace("\"ts\":1", "\"ts\":99999999999999999999999")),
        ok.formatted(entry.replace("\"node\":\"n\"", "\"node\":\"\"")),
        ok.formatted(entry.replace(",\"version\":{\"ts\":1,\"node\":\"n\"}", "")),
        ok.formatted(entry) + "x",
        "[".repeat(100) + "]".repeat(100),
        ok.formatted(String.join(",", java.util.Collections.nCopies(KvJson.MAX_PAGE_ENTRIES + 1, entry))))) {
      assertThatThrownBy(() -> parse(bad)).as(bad.length() > 200 ? bad.substring(0, 200) : bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aPageOverTwoMebibytesIsRefusedBeforeItIsParsed() {
    byte[] huge = new byte[KvJson.MAX_ACCEPTED_PAGE_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    assertThatThrownBy(() -> KvJson.parse(huge)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over");
  }

  @Test
  void corruptedPagesAreOnlyEverIllegalArguments() {
    KvStore store = new KvStore("me", 100);
    for (int i = 0; i < 10; i++) {
      store.merge("k" + i, utf8("value " + i), new Version(i, "n" + i));
    }
    byte[] json = utf8(KvJson.page(store, null, 5));
    Random random = new Random(3);
    for (int i = 0; i < 5_000; i++) {
      byte[] corrupt = json.clone();
      corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
      try {
        KvJson.parse(corrupt);
      } catch (IllegalArgumentException expected) {
        // refused, as it should be when the corruption is visible
      }
    }
  }
}
