package io.gossipnet.http;

import io.gossipnet.core.GossipNode;
import io.gossipnet.core.http.HttpHandler;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The content-addressed blob service: the generic form of the seed's block service ({@code
 * rpcs/blockService.go}), with a content key where the seed has a round. Served at {@link
 * HttpServicesConfig#blobPath()} ({@code /v1/{genesisID}/blob/{key}}), the key being the lowercase
 * hex SHA-256 of the content (upper case accepted):
 *
 * <ul>
 *   <li>{@code GET}, stored: {@code 200}, {@code application/octet-stream}, {@code Cache-Control:
 *       public, max-age=31536000, immutable} (the seed's, one year: a key never names other
 *       content) and {@code ETag: "<key>"}.
 *   <li>{@code GET}, not stored: {@code 404} with the seed's short cache ({@code public, max-age=1,
 *       must-revalidate}) and hints in place of its {@code X-Latest-Round}: {@value
 *       #LATEST_HEADER} (the key stored last; absent when there is none) and {@value
 *       #COUNT_HEADER} (how many blobs the node holds).
 *   <li>{@code PUT} (unless {@link HttpServicesConfig#blobPut()} is off; then {@code 405}): the
 *       body's SHA-256 must equal the key, else {@code 400}; {@code 201} when stored, {@code 200}
 *       when it already was; {@code 413} over {@link HttpServicesConfig#maxBlobBytes()}; {@code
 *       503} with {@code Retry-After} (3 s, the seed's) when the store would go past its memory cap
 *       (500 MB, the seed's {@code BlockServiceMemCap}).
 *   <li>A key that is not 64 hex digits: {@code 400}.
 * </ul>
 *
 * <p>The seed's cap counts the encoded copies of responses in flight; here a {@code GET} serves
 * the stored array without a copy, so the cap is on what the store holds, and a {@code PUT} is
 * what it refuses. Meters: {@code gossipnet.http.blob.hits}, {@code .misses}, {@code .stored},
 * {@code .refused{reason=bad_key|hash_mismatch|too_large|memory_cap}}, and the gauges {@code
 * gossipnet.http.blob.count} and {@code .bytes}.
 */
public final class BlobService implements HttpHandler {
  /** The hint of a 404: the key of the blob stored last. */
  public static final String LATEST_HEADER = "X-Latest-Blob";

  /** The hint of a 404: how many blobs the node holds. */
  public static final String COUNT_HEADER = "X-Blob-Count";

  /** The content type of a blob. */
  public static final String CONTENT_TYPE = "application/octet-stream";

  /** The cache policy of a found blob: the seed's, one year, immutable. */
  public static final String FOUND_CACHE_CONTROL = "public, max-age=31536000, immutable";

  /** The cache policy of a 404: the seed's, one second, then revalidate. */
  public static final String MISSING_CACHE_CONTROL = "public, max-age=1, must-revalidate";

  private final BlobStore store;
  private final HttpServicesConfig config;
  private final Counter hits;
  private final Counter misses;
  private final Counter stored;
  private final Counter badKey;
  private final Counter hashMismatch;
  private final Counter tooLarge;
  private final Counter memoryCap;

  /** The service over {@code store}, counting in {@code registry}. */
  public BlobService(BlobStore store, HttpServicesConfig config, MeterRegistry registry) {
    this.store = store;
    this.config = config;
    hits = Counter.builder("gossipnet.http.blob.hits").description("blobs served").register(registry);
    misses = Counter.builder("gossipnet.http.blob.misses").description("blob requests for a key not stored").register(registry);
    stored = Counter.builder("gossipnet.http.blob.stored").description("blobs stored by PUT").register(registry);
    badKey = refused(registry, "bad_key");
    hashMismatch = refused(registry, "hash_mismatch");
    tooLarge = refused(registry, "too_large");
    memoryCap = refused(registry, "memory_cap");
    Gauge.builder("gossipnet.http.blob.count", store, BlobStore::count).description("blobs held").register(registry);
    Gauge.builder("gossipnet.http.blob.bytes", store, BlobStore::usedBytes).description("bytes held by the blob store").register(registry);
  }

  private static Counter refused(MeterRegistry registry, String reason) {
    return Counter.builder("gossipnet.http.blob.refused").tag("reason", reason).description("blob requests refused").register(registry);
  }

  /** The store this service serves. */
  public BlobStore store() {
    return store;
  }

  /** Registers the service on {@code node} at the configured path ({@code GET}, and {@code PUT} if allowed). */
  public void register(GossipNode node) {
    node.registerHttpHandler(config.blobPath(), config.blobPut() ? Set.of("GET", "PUT") : Set.of("GET"), this);
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    String key = BlobStore.normalizeKey(request.pathVariables().get("key"));
    if (key == null) {
      badKey.increment();
      return HttpResponse.text(400, "a blob key is 64 hex digits (the SHA-256 of the content)");
    }
    return request.method().equals("PUT") ? put(key, request.body()) : get(key);
  }

  private HttpResponse get(String key) {
    byte[] blob = store.get(key).orElse(null);
    if (blob == null) {
      misses.increment();
      Map<String, List<String>> headers = new LinkedHashMap<>();
      headers.put("cache-control", List.of(MISSING_CACHE_CONTROL));
      headers.put("content-type", List.of("text/plain; charset=utf-8"));
      headers.put(COUNT_HEADER.toLowerCase(java.util.Locale.ROOT), List.of(Integer.toString(store.count())));
      store.newestKey().ifPresent(k -> headers.put(LATEST_HEADER.toLowerCase(java.util.Locale.ROOT), List.of(k)));
      return new HttpResponse(404, headers, "blob not found".getBytes(StandardCharsets.UTF_8));
    }
    hits.increment();
    return new HttpResponse(200, Map.of(
        "content-type", List.of(CONTENT_TYPE),
        "cache-control", List.of(FOUND_CACHE_CONTROL),
        "etag", List.of("\"" + key + "\"")), blob);
  }

  private HttpResponse put(String key, byte[] body) {
    // Sizes first: nothing is hashed or kept past the limit.
    if (body.length > store.maxBlobBytes()) {
      tooLarge.increment();
      return HttpResponse.text(413, "blob over " + store.maxBlobBytes() + " bytes");
    }
    String actual = BlobStore.keyOf(body);
    if (!actual.equals(key)) {
      hashMismatch.increment();
      return HttpResponse.text(400, "the body's SHA-256 is " + actual + ", not the key");
    }
    return switch (store.put(key, body)) {
      case STORED -> {
        stored.increment();
        yield HttpResponse.text(201, key);
      }
      case ALREADY_PRESENT -> HttpResponse.text(200, key);
      case TOO_LARGE -> {
        tooLarge.increment();
        yield HttpResponse.text(413, "blob over " + store.maxBlobBytes() + " bytes");
      }
      case OVER_CAPACITY -> {
        memoryCap.increment();
        yield new HttpResponse(503, Map.of(
            "content-type", List.of("text/plain; charset=utf-8"),
            "retry-after", List.of(Long.toString(config.retryAfter().toSeconds()))),
            "blob store at its memory cap".getBytes(StandardCharsets.UTF_8));
      }
    };
  }
}
