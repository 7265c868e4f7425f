package io.gossipnet.p2p;

import io.gossipnet.core.codec.MsgPackException;
import io.gossipnet.core.codec.MsgPackReader;
import io.gossipnet.core.codec.MsgPackWriter;
import io.gossipnet.p2p.MetadataException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The start-of-stream metadata of the {@code /algorand-ws/2.2.0} gossip stream (seed:
 * {@code p2pMetainfo.go}): the handshake headers a WebSocket peer would send, as a 2-byte
 * big-endian length followed by a msgpack {@code map[string][]string}.
 *
 * <p>The encoding is the seed's {@code msgp} one: map keys in byte order, the smallest header for
 * every length, each value list an array of strings. Decoding accepts at most {@value #MAX_KEYS}
 * names and {@value #MAX_VALUES} values per name (checked on the headers, before anything is
 * allocated), a nil map or value list as empty, and nothing else: the declared length must be
 * exactly the length of the msgpack content (the seed ignores bytes after the map; it never sends
 * any), a name may appear once. Names are matched exactly, in Go's canonical form ({@link
 * #canonicalName}), as the seed's {@code http.Header.Get} does.
 *
 * <p>Instances are immutable.
 */
public final class MetadataFrame {
  /** Most header names in a frame (the seed's {@code maxHeaderKeys}). */
  public static final int MAX_KEYS = 64;

  /** Most values of one header name (the seed's {@code maxHeaderValues}). */
  public static final int MAX_VALUES = 16;

  /** Largest msgpack content: what the 2-byte length can declare (the seed panics above it). */
  public static final int MAX_LENGTH = 0xffff;

  /** The sender's telemetry GUID ({@code X-Algorand-TelId}, canonical form). */
  public static final String TELEMETRY_ID = "X-Algorand-Telid";

  /** The sender's instance name ({@code X-Algorand-InstanceName}, canonical form). */
  public static final String INSTANCE_NAME = "X-Algorand-Instancename";

  /** The sender's genesis ID; sent, not checked over P2P. */
  public static final String GENESIS = "X-Algorand-Genesis";

  /** The sender's features, comma-separated (e.g. {@code ppzstd,avvpack}). */
  public static final String PEER_FEATURES = "X-Algorand-Peer-Features";

  /** The protocol version the sender uses (the dialer's own, the acceptor's negotiated one). */
  public static final String VERSION = "X-Algorand-Version";

  /** One value per protocol version the sender supports. */
  public static final String ACCEPT_VERSION = "X-Algorand-Accept-Version";

  private static final int MAX_FEATURES = 16;

  /** Header names in the order the encoding needs: by their UTF-8 bytes, as Go sorts strings. */
  private static final java.util.Comparator<String> BYTE_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private final Map<String, List<String>> headers;

  private MetadataFrame(TreeMap<String, List<String>> headers) {
    this.headers = Collections.unmodifiableMap(headers);
  }

  /**
   * A frame with these headers, names used as given (see {@link #canonicalName}).
   *
   * @throws IllegalArgumentException with more than {@value #MAX_KEYS} names or more than
   *     {@value #MAX_VALUES} values for one: a peer would refuse the frame
   */
  public static MetadataFrame of(Map<String, ? extends List<String>> headers) {
    if (headers.size() > MAX_KEYS) {
      throw new IllegalArgumentException(headers.size() + " header names, at most " + MAX_KEYS);
    }
    TreeMap<String, List<String>> sorted = new TreeMap<>(BYTE_ORDER);
    headers.forEach((name, values) -> {
      if (values.size() > MAX_VALUES) {
        throw new IllegalArgumentException(
            "header " + name + " has " + values.size() + " values, at most " + MAX_VALUES);
      }
      sorted.put(Objects.requireNonNull(name, "name"), List.copyOf(values));
    });
    return new MetadataFrame(sorted);
  }

  /**
   * The frame the seed's {@code setHeaders} builds for a P2P peer: telemetry ID, instance name,
   * genesis ID, features, the version (omitted when empty) and every accepted version. Location and
   * node random are not sent over P2P.
   */
  public static MetadataFrame forNode(String telemetryId, String instanceName, String genesisId,
      List<String> features, String version, List<String> acceptVersions) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    h.put(TELEMETRY_ID, List.of(telemetryId));
    h.put(INSTANCE_NAME, List.of(instanceName));
    h.put(GENESIS, List.of(genesisId));
    h.put(PEER_FEATURES, List.of(String.join(",", features)));
    if (!version.isEmpty()) {
      h.put(VERSION, List.of(version));
    }
    if (!acceptVersions.isEmpty()) {
      h.put(ACCEPT_VERSION, List.copyOf(acceptVersions));
    }
    return of(h);
  }

  /**
   * Go's {@code textproto.CanonicalMIMEHeaderKey}: the first letter and every letter after a hyphen
   * upper case, the others lower case ({@code X-Algorand-TelId} becomes {@code X-Algorand-Telid}).
   * A name with a space or a character outside the HTTP token set is returned unchanged, as in Go.
   */
  public static String canonicalName(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (!isTokenChar(name.charAt(i))) {
        return name;
      }
    }
    StringBuilder b = new StringBuilder(name.length());
    boolean upper = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (upper && c >= 'a' && c <= 'z') {
        c = (char) (c - 'a' + 'A');
      } else if (!upper && c >= 'A' && c <= 'Z') {
        c = (char) (c - 'A' + 'a');
      }
      b.append(c);
      upper = c == '-';
    }
    return b.toString();
  }

  /** Every header, names in encoding order; unmodifiable. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The values of {@code name} (exact match), or an empty list. */
  public List<String> values(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** The first value of {@code name} (exact match), or empty: Go's {@code http.Header.Get}. */
  public String first(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? "" : v.get(0);
  }

  /** The telemetry GUID made safe to log ({@link #sanitize}). */
  public String telemetryId() {
    return sanitize(first(TELEMETRY_ID));
  }

  /** The instance name made safe to log ({@link #sanitize}). */
  public String instanceName() {
    return sanitize(first(INSTANCE_NAME));
  }

  /** The genesis ID as sent. */
  public String genesisId() {
    return first(GENESIS);
  }

  /** The version header as sent, or empty. */
  public String version() {
    return first(VERSION);
  }

  /** The accepted versions as sent. */
  public List<String> acceptVersions() {
    return values(ACCEPT_VERSION);
  }

  /**
   * The features, decoded as over WebSocket: the first value split at commas, trimmed, sanitized,
   * empty ones dropped, at most 16.
   */
  public Set<String> features() {
    Set<String> out = new LinkedHashSet<>();
    for (String f : first(PEER_FEATURES).split(",")) {
      String t = sanitize(f.trim());
      if (!t.isEmpty() && out.size() < MAX_FEATURES) {
        out.add(t);
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * The seed's {@code filterASCII}: printable ASCII (0x20-0x7e) kept, anything else replaced by
   * {@code ▯}, at most 256 characters (then {@code ...}).
   */
  public static String sanitize(String s) {
    int n = Math.min(s.length(), 256);
    StringBuilder b = new StringBuilder(n + 3);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c <= 0x7e ? c : '\u25af');
    }
    return s.length() > n ? b.append("...").toString() : b.toString();
  }

  /**
   * The whole frame: 2-byte big-endian length, then the msgpack map.
   *
   * @throws MetadataException ({@link Reason#TOO_LARGE}) when the content exceeds
   *     {@value #MAX_LENGTH} bytes
   */
  public byte[] encode() throws MetadataException {
    MsgPackWriter w = new MsgPackWriter(256).mapHeader(headers.size());
    headers.forEach((name, values) -> {
      w.str(name).arrayHeader(values.size());
      values.forEach(w::str);
    });
    if (w.size() > MAX_LENGTH) {
      throw new MetadataException(Reason.TOO_LARGE,
          "metadata of " + w.size() + " bytes, at most " + MAX_LENGTH);
    }
    byte[] content = w.toByteArray();
    byte[] frame = new byte[2 + content.length];
    frame[0] = (byte) (content.length >>> 8);
    frame[1] = (byte) content.length;
    System.arraycopy(content, 0, frame, 2, content.length);
    return frame;
  }

  /** Writes {@link #encode()} to {@code out} in one write, without flushing. */
  public void write(OutputStream out) throws IOException {
    out.write(encode());
  }

  /**
   * Decodes a whole frame, length prefix included.
   *
   * @throws MetadataException {@link Reason#TRUNCATED} without a complete length prefix, {@link
   *     Reason#LENGTH_MISMATCH} when the declared length is not the number of bytes that follow or
   *     not the length of the msgpack content, else as {@link #decodeContent}
   */
  public static MetadataFrame decode(byte[] frame) throws MetadataException {
    if (frame.length < 2) {
      throw new MetadataException(Reason.TRUNCATED, "metadata frame of " + frame.length + " bytes has no length");
    }
    int declared = ((frame[0] & 0xff) << 8) | (frame[1] & 0xff);
    if (declared != frame.length - 2) {
      throw new MetadataException(Reason.LENGTH_MISMATCH,
          "metadata frame declares " + declared + " bytes, " + (frame.length - 2) + " follow");
    }
    return decodeContent(frame, 2, declared);
  }

  /**
   * Reads one frame from {@code in}: the 2-byte length, then exactly that many bytes (at most
   * {@value #MAX_LENGTH}, all the prefix can declare), then decodes them.
   *
   * @throws MetadataException {@link Reason#TRUNCATED} when the stream ends first, else as {@link
   *     #decodeContent}
   * @throws IOException when reading fails
   */
  public static MetadataFrame read(InputStream in) throws IOException {
    byte[] prefix = in.readNBytes(2);
    if (prefix.length < 2) {
      throw new MetadataException(Reason.TRUNCATED,
          "stream ended after " + prefix.length + " bytes of the metadata length");
    }
    int declared = ((prefix[0] & 0xff) << 8) | (prefix[1] & 0xff);
    // readNBytes grows its buffer as bytes arrive: a peer that declares 64 KiB and sends less
    // costs what it sent.
    byte[] content = in.readNBytes(declared);
    if (content.length < declared) {
      throw new MetadataException(Reason.TRUNCATED,
          "stream ended after " + content.length + " of " + declared + " bytes of metadata");
    }
    return decodeContent(content, 0, declared);
  }

  /**
   * Decodes {@code length} bytes of msgpack content at {@code offset}.
   *
   * @throws MetadataException {@link Reason#TOO_MANY_KEYS}, {@link Reason#TOO_MANY_VALUES} as soon
   *     as a header declares too many; {@link Reason#LENGTH_MISMATCH} when the map needs more bytes
   *     than {@code length} or leaves some over; {@link Reason#MALFORMED} for anything else (a type
   *     other than a map of string to array of strings, a name twice)
   */
  public static MetadataFrame decodeContent(byte[] buf, int offset, int length) throws MetadataException {
    MsgPackReader r = new MsgPackReader(buf, offset, length);
    TreeMap<String, List<String>> headers = new TreeMap<>(BYTE_ORDER);
    try {
      int keys = r.tryNil() ? 0 : countOf(r, true);
      for (int k = 0; k < keys; k++) {
        String name = r.str(MAX_LENGTH);
        List<String> values;
        if (r.tryNil()) {
          values = List.of();
        } else {
          int n = countOf(r, false);
          List<String> v = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            v.add(r.str(MAX_LENGTH));
          }
          values = List.copyOf(v);
        }
        if (headers.put(name, values) != null) {
          throw new MetadataException(Reason.MALFORMED, "header " + sanitize(name) + " appears twice");
        }
      }
      r.end();
    } catch (MsgPackException e) {
      Reason reason = switch (e.kind()) {
        case TRUNCATED, TRAILING_BYTES -> Reason.LENGTH_MISMATCH;
        default -> Reason.MALFORMED;
      };
      throw new MetadataException(reason, "metadata of " + length + " bytes: " + e.getMessage(), e);
    }
    return new MetadataFrame(headers);
  }

  private static int countOf(MsgPackReader r, boolean map) throws MsgPackException, MetadataException {
    try {
      return map ? r.mapHeader(MAX_KEYS) : r.arrayHeader(MAX_VALUES);
    } catch (MsgPackException e) {
      if (e.kind() != MsgPackException.Kind.OVER_LIMIT) {
        throw e;
      }
      throw new MetadataException(map ? Reason.TOO_MANY_KEYS : Reason.TOO_MANY_VALUES, e.getMessage(), e);
    }
  }

  private static boolean isTokenChar(char c) {
    return c < 0x7f && c > 0x20 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetadataFrame f && f.headers.equals(headers);
  }

  @Override
  public int hashCode() {
    return headers.hashCode();
  }

  /** The headers, names and values sanitized so the peer's bytes are safe to log. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("MetadataFrame{");
    headers.forEach((name, values) -> {
      if (b.length() > 14) {
        b.append(", ");
      }
      b.append(sanitize(name)).append('=').append(values.stream().map(MetadataFrame::sanitize).toList());
    });
    return b.append('}').toString();
  }
}
