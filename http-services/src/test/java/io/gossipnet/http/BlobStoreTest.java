package io.gossipnet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.http.BlobStore.PutResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The store's keys, its memory accounting and its cap. */
class BlobStoreTest {
  @Test
  void aKeyIsTheLowercaseHexSha256OfTheContent() {
    assertThat(BlobStore.keyOf("abc".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(BlobStore.normalizeKey("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(BlobStore.normalizeKey("ba7816bf")).isNull();
    assertThat(BlobStore.normalizeKey("zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")).isNull();
    assertThat(BlobStore.normalizeKey(null)).isNull();
  }

  @Test
  void eachBlobCostsItsLengthPlusTheEntryOverheadAndTheCapIsNeverPassed() {
    BlobStore store = new BlobStore(2 * (100 + BlobStore.ENTRY_OVERHEAD), 1000);
    assertThat(store.put(new byte[100])).isEqualTo(PutResult.STORED);
    assertThat(store.put(new byte[100])).isEqualTo(PutResult.ALREADY_PRESENT);
    assertThat(store.usedBytes()).isEqualTo(100 + BlobStore.ENTRY_OVERHEAD);
    byte[] second = new byte[100];
    second[0] = 1;
    assertThat(store.put(second)).isEqualTo(PutResult.STORED);
    byte[] third = new byte[0];
    assertThat(store.put(third)).as("even an empty blob costs its entry").isEqualTo(PutResult.OVER_CAPACITY);
    assertThat(store.count()).isEqualTo(2);
    assertThat(store.newestKey()).contains(BlobStore.keyOf(second));

    assertThat(store.remove(BlobStore.keyOf(second))).isTrue();
    assertThat(store.newestKey()).isEmpty();
    assertThat(store.put(third)).isEqualTo(PutResult.STORED);
    assertThat(store.usedBytes()).isEqualTo(100 + 2L * BlobStore.ENTRY_OVERHEAD);
    store.clear();
    assertThat(store.usedBytes()).isZero();
    assertThat(store.count()).isZero();
  }

  @Test
  void aBlobOverTheLargestIsRefusedWhateverRoomIsLeft() {
    BlobStore store = new BlobStore(1 << 20, 10);
    assertThat(store.put(new byte[11])).isEqualTo(PutResult.TOO_LARGE);
    assertThat(store.count()).isZero();
  }

  @Test
  void theConfigNamesTheSettingThatIsWrong() {
    assertThatThrownBy(() -> HttpServicesConfig.builder().blobPath("/v1/blob/{id}").build()).hasMessageContaining("blobPath").hasMessageContaining("{key}");
    assertThatThrownBy(() -> HttpServicesConfig.builder().statusPath("status").build()).hasMessageContaining("statusPath");
    assertThatThrownBy(() -> HttpServicesConfig.builder().peersPath("/v1/{a}/{a}").build()).hasMessageContaining("peersPath");
    assertThatThrownBy(() -> HttpServicesConfig.builder().blobMemoryCap(-1).build()).hasMessageContaining("blobMemoryCap");
    assertThatThrownBy(() -> HttpServicesConfig.builder().maxBlobBytes(-1).build()).hasMessageContaining("maxBlobBytes");
    assertThatThrownBy(() -> new BlobStore(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(HttpServicesConfig.defaults().toBuilder().build()).isEqualTo(HttpServicesConfig.defaults());
    assertThat(HttpServicesConfig.defaults().blobMemoryCap()).isEqualTo(500_000_000L);
  }
}
