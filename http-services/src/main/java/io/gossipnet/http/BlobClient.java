package io.gossipnet.http;

import io.gossipnet.core.GossipNode;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.core.http.PeerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Fetches and stores blobs on a peer's {@link BlobService}, over whichever transport the node
 * reaches the peer on: {@link GossipNode#httpClient(String)} picks it from the address (an {@code
 * http://host:port} WS address, a {@code /ip4/.../p2p/<peer ID>} multiaddr), and applies the
 * per-peer rate limit.
 *
 * <pre>{@code
 * BlobClient blobs = new BlobClient(node);
 * String key = blobs.put(peerAddress, content);           // or BlobStore.keyOf(content)
 * Optional<byte[]> got = blobs.fetch(peerAddress, key);   // empty on 404
 * }</pre>
 *
 * <p>A fetched body is returned only if its SHA-256 is the key and it is at most {@code
 * maxBlobBytes} long (a declared {@code Content-Length} over that is refused before the body is
 * hashed); otherwise {@link BadBlobException}. The transport's client reads at most its own
 * response limit before that (16 MiB by default over WS and P2P), so a peer cannot make the
 * client buffer more.
 */
public final class BlobClient {
  private final GossipNode node;
  private final String pathTemplate;
  private final int maxBlobBytes;

  /** A client for blob services at the default path and with the default largest blob. */
  public BlobClient(GossipNode node) {
    this(node, HttpServicesConfig.DEFAULT_BLOB_PATH, HttpServicesConfig.DEFAULT_MAX_BLOB_BYTES);
  }

  /** A client for blob services configured as {@code config}. */
  public BlobClient(GossipNode node, HttpServicesConfig config) {
    this(node, Objects.requireNonNull(config.blobPath(), "config.blobPath"), config.maxBlobBytes());
  }

  /**
   * A client for blob services at {@code pathTemplate} (with {@code {key}}, and {@code
   * {genesisID}} replaced by the node's genesis ID), accepting blobs up to {@code maxBlobBytes}.
   *
   * @throws IllegalArgumentException if the template has no {@code {key}} or the size is negative
   */
  public BlobClient(GossipNode node, String pathTemplate, int maxBlobBytes) {
    this.node = Objects.requireNonNull(node, "node");
    if (!pathTemplate.contains("{key}")) {
      throw new IllegalArgumentException("the blob path template must have a {key} variable: " + pathTemplate);
    }
    if (maxBlobBytes < 0) {
      throw new IllegalArgumentException("maxBlobBytes must not be negative: " + maxBlobBytes);
    }
    this.pathTemplate = pathTemplate;
    this.maxBlobBytes = maxBlobBytes;
  }

  /**
   * Fetches the blob {@code key} from the peer at {@code peerAddress}.
   *
   * @return the content, checked against the key; empty if the peer does not have it (404)
   * @throws IllegalArgumentException if {@code key} is not 64 hex digits
   * @throws BlobUnavailableException on 503 (the peer's store is at its cap), with its Retry-After
   * @throws BadBlobException if the body is too large or does not hash to the key
   * @throws IOException if the exchange fails or the peer answers another status
   */
  public Optional<byte[]> fetch(String peerAddress, String key) throws IOException {
    String k = checkedKey(key);
    PeerHttpClient http = node.httpClient(peerAddress);
    HttpResponse r = http.send(HttpRequest.get(path(k)));
    switch (r.status()) {
      case 200 -> {
        String declared = r.header("content-length");
        if (declared != null && declaredOver(declared)) {
          throw new BadBlobException("blob " + k + " from " + peerAddress + " declares " + declared + " bytes, over " + maxBlobBytes);
        }
        byte[] body = r.body();
        if (body.length > maxBlobBytes) {
          throw new BadBlobException("blob " + k + " from " + peerAddress + " is " + body.length + " bytes, over " + maxBlobBytes);
        }
        String actual = BlobStore.keyOf(body);
        if (!actual.equals(k)) {
          throw new BadBlobException("blob " + k + " from " + peerAddress + " hashes to " + actual);
        }
        return Optional.of(body);
      }
      case 404 -> {
        return Optional.empty();
      }
      case 503 -> throw new BlobUnavailableException("blob service of " + peerAddress + " is unavailable", retryAfter(r));
      default -> throw new IOException("blob " + k + " from " + peerAddress + ": status " + r.status() + " " + brief(r));
    }
  }

  /**
   * Stores {@code content} on the peer at {@code peerAddress} with {@code PUT}.
   *
   * @return the content's key
   * @throws IllegalArgumentException if the content is over {@code maxBlobBytes}
   * @throws BlobUnavailableException on 503 (the peer's store is at its cap), with its Retry-After
   * @throws IOException if the exchange fails or the peer refuses it (another status than 200 or 201)
   */
  public String put(String peerAddress, byte[] content) throws IOException {
    if (content.length > maxBlobBytes) {
      throw new IllegalArgumentException("blob of " + content.length + " bytes is over " + maxBlobBytes);
    }
    String key = BlobStore.keyOf(content);
    HttpResponse r = node.httpClient(peerAddress).send(new HttpRequest("PUT", path(key), "",
        Map.of("content-type", List.of(BlobService.CONTENT_TYPE)), Map.of(), content));
    return switch (r.status()) {
      case 200, 201 -> key;
      case 503 -> throw new BlobUnavailableException("blob service of " + peerAddress + " is at its memory cap", retryAfter(r));
      default -> throw new IOException("storing blob " + key + " on " + peerAddress + ": status " + r.status() + " " + brief(r));
    };
  }

  private String path(String key) {
    return pathTemplate.replace("{genesisID}", node.genesisId()).replace("{key}", key);
  }

  private static String checkedKey(String key) {
    String k = BlobStore.normalizeKey(key);
    if (k == null) {
      throw new IllegalArgumentException("a blob key is 64 hex digits (SHA-256): " + key);
    }
    return k;
  }

  private boolean declaredOver(String declared) {
    try {
      return Long.parseLong(declared.trim()) > maxBlobBytes;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Duration retryAfter(HttpResponse r) {
    String v = r.header("retry-after");
    if (v != null) {
      try {
        long s = Long.parseLong(v.trim());
        if (s >= 0) {
          return Duration.ofSeconds(s);
        }
      } catch (NumberFormatException e) {
        // an HTTP date or garbage: no hint
      }
    }
    return Duration.ZERO;
  }

  private static String brief(HttpResponse r) {
    String text = r.bodyText();
    return text.length() > 120 ? text.substring(0, 120) + "..." : text;
  }

  /** A peer's blob service is at its memory cap (503); {@link #retryAfter()} says when to try again. */
  public static final class BlobUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;
    private final Duration retryAfter;

    /** Creates the exception. */
    public BlobUnavailableException(String message, Duration retryAfter) {
      super(message + " (retry after " + retryAfter.toSeconds() + " s)");
      this.retryAfter = retryAfter;
    }

    /** The peer's {@code Retry-After}, or zero if it sent none. */
    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /** A peer answered a blob that does not hash to its key or is too large: it was not returned. */
  public static final class BadBlobException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public BadBlobException(String message) {
      super(message);
    }
  }
}
