package io.gossipnet.examples.kv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of the store's snapshot, {@code GET /v1/{genesisID}/kv}, served one page at a time:
 *
 * <pre>{@code
 * {"node":"3f2a...","count":2,"digest":"9c1e04d2a7b35f60",
 *  "entries":[{"key":"a","value":"hello","version":{"ts":1767225600000,"node":"3f2a..."}},
 *             {"key":"b","base64":"AAEC","version":{"ts":1767225600001,"node":"77c0..."}}],
 *  "next":"b"}
 * }</pre>
 *
 * <p>{@code count} and {@code digest} describe the whole store ({@link KvStore#size()}, {@link
 * KvStore#digest()} in hex), so {@code ?limit=0} is a cheap probe. A value that is UTF-8 is given as
 * text ({@code value}), any other as {@code base64}. Entries are in key order; {@code next}, present
 * when more may follow, is the key to ask after ({@code ?after=b}). A page stops at {@code limit}
 * entries (at most {@link #MAX_PAGE_ENTRIES}) or when it would pass {@link #MAX_PAGE_BYTES}.
 *
 * <p>{@link #parse} reads a peer's page within fixed bounds: at most {@link
 * #MAX_ACCEPTED_PAGE_BYTES} of input, shallow nesting, every entry checked against the store's
 * limits; anything else is an {@link IllegalArgumentException}.
 */
public final class KvJson {
  /** The most entries in one page. */
  public static final int MAX_PAGE_ENTRIES = 1000;

  /** A page stops adding entries before its JSON could pass this many bytes. */
  public static final int MAX_PAGE_BYTES = 1 << 20;

  /** The largest page {@link #parse} reads. */
  public static final int MAX_ACCEPTED_PAGE_BYTES = 2 << 20;

  /** Room for an entry's field names, version and punctuation, beyond its key and value. */
  private static final int ENTRY_OVERHEAD_BYTES = 128;

  private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxDocumentLength(MAX_ACCEPTED_PAGE_BYTES)
              .maxNestingDepth(8)
              .maxTokenCount(20L * MAX_PAGE_ENTRIES + 100)
              .maxNumberLength(32)
              .maxNameLength(64)
              .maxStringLength(4 * KvStore.MAX_VALUE_BYTES)
              .build())
          .build())
      .build();

  private KvJson() {}

  /**
   * One page of a peer's snapshot.
   *
   * @param node the ID of the node that answered
   * @param count how many keys its store holds
   * @param digest its store's digest
   * @param entries the entries of this page, in key order
   * @param next the key to ask after for the next page, or null if this is the last
   */
  public record Page(String node, int count, long digest, List<KvWrite> entries, String next) {}

  /** The JSON answer to a successful write: {@code {"key":"k","version":{"ts":1,"node":"n"}}}. */
  static String written(String key, Version version, boolean gossiped) {
    ObjectNode o = JSON.createObjectNode();
    o.put("key", key);
    o.set("version", version(version));
    o.put("gossiped", gossiped);
    return JSON.writeValueAsString(o);
  }

  /** A JSON object {@code {"error": message}}. */
  static String error(String message) {
    return JSON.writeValueAsString(JSON.createObjectNode().put("error", message));
  }

  /**
   * The page of {@code store}'s snapshot that starts after key {@code after} (null: at the
   * start), with at most {@code limit} entries.
   */
  public static String page(KvStore store, String after, int limit) {
    int max = Math.max(0, Math.min(limit, MAX_PAGE_ENTRIES));
    ObjectNode o = JSON.createObjectNode();
    o.put("node", store.nodeId());
    o.put("count", store.size());
    o.put("digest", String.format("%016x", store.digest()));
    ArrayNode entries = o.putArray("entries");
    long bytes = 256;
    String last = null;
    boolean more = false;
    Iterator<KvStore.Entry> it = store.entriesAfter(after).iterator();
    while (it.hasNext()) {
      if (entries.size() >= max) {
        more = true;
        break;
      }
      KvStore.Entry e = it.next();
      byte[] value = e.value();
      String text = utf8(value);
      // The most this entry's JSON can take: every character of the key and of a text value
      // escaped as a six-byte \\uXXXX sequence.
      long worst = ENTRY_OVERHEAD_BYTES + 6L * e.key().length()
          + (text != null ? 6L * text.length() : 4L * ((value.length + 2) / 3));
      if (bytes + worst > MAX_PAGE_BYTES && !entries.isEmpty()) {
        more = true;
        break;
      }
      bytes += worst;
      ObjectNode entry = entries.addObject();
      entry.put("key", e.key());
      if (text != null) {
        entry.put("value", text);
      } else {
        entry.put("base64", Base64.getEncoder().encodeToString(value));
      }
      entry.set("version", version(e.version()));
      last = e.key();
    }
    if (more && last != null) {
      o.put("next", last);
    }
    return JSON.writeValueAsString(o);
  }

  private static ObjectNode version(Version v) {
    ObjectNode o = JSON.createObjectNode();
    o.put("ts", v.timestamp());
    o.put("node", v.nodeId());
    return o;
  }

  /** {@code bytes} as a string if they are well-formed UTF-8, else null. */
  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Reads a page of a peer's snapshot.
   *
   * @throws IllegalArgumentException if it is over {@link #MAX_ACCEPTED_PAGE_BYTES}, not JSON, or
   *     not a valid page (an entry over the store's limits, a bad version, more than {@link
   *     #MAX_PAGE_ENTRIES} entries)
   */
  public static Page parse(byte[] body) {
    if (body.length > MAX_ACCEPTED_PAGE_BYTES) {
      throw new IllegalArgumentException("snapshot page of " + body.length + " bytes, over " + MAX_ACCEPTED_PAGE_BYTES);
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("snapshot page is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("snapshot page is not a JSON object");
    }
    String node = string(root, "node");
    if (!Version.validNodeId(node)) {
      throw new IllegalArgumentException("snapshot page: bad node ID");
    }
    JsonNode count = root.get("count");
    if (count == null || !count.isIntegralNumber() || !count.canConvertToInt() || count.asInt() < 0) {
      throw new IllegalArgumentException("snapshot page: bad count");
    }
    String digestHex = string(root, "digest");
    long digest;
    try {
      if (digestHex.length() != 16) {
        throw new NumberFormatException(digestHex);
      }
      digest = Long.parseUnsignedLong(digestHex, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("snapshot page: bad digest");
    }
    JsonNode entries = root.get("entries");
    if (entries == null || !entries.isArray() || entries.size() > MAX_PAGE_ENTRIES) {
      throw new IllegalArgumentException("snapshot page: entries missing, or more than " + MAX_PAGE_ENTRIES);
    }
    List<KvWrite> writes = new ArrayList<>(entries.size());
    for (JsonNode e : entries) {
      writes.add(entry(e));
    }
    JsonNode next = root.get("next");
    String nextKey = null;
    if (next != null && !next.isNull()) {
      if (!next.isString() || KvStore.keyProblem(next.stringValue()) != null) {
        throw new IllegalArgumentException("snapshot page: bad next key");
      }
      nextKey = next.stringValue();
    }
    return new Page(node, count.asInt(), digest, List.copyOf(writes), nextKey);
  }

  private static KvWrite entry(JsonNode e) {
    if (!e.isObject()) {
      throw new IllegalArgumentException("snapshot entry is not an object");
    }
    String key = string(e, "key");
    String problem = KvStore.keyProblem(key);
    if (problem != null) {
      throw new IllegalArgumentException("snapshot entry: " + problem);
    }
    JsonNode text = e.get("value");
    JsonNode base64 = e.get("base64");
    byte[] value;
    if (text != null && text.isString() && base64 == null) {
      value = text.stringValue().getBytes(StandardCharsets.UTF_8);
    } else if (base64 != null && base64.isString() && text == null) {
      try {
        value = Base64.getDecoder().decode(base64.stringValue());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("snapshot entry " + key + ": bad base64");
      }
    } else {
      throw new IllegalArgumentException("snapshot entry " + key + ": needs one of value and base64");
    }
    if (value.length > KvStore.MAX_VALUE_BYTES) {
      throw new IllegalArgumentException("snapshot entry " + key + ": value over " + KvStore.MAX_VALUE_BYTES + " bytes");
    }
    JsonNode v = e.get("version");
    if (v == null || !v.isObject()) {
      throw new IllegalArgumentException("snapshot entry " + key + ": no version");
    }
    JsonNode ts = v.get("ts");
    if (ts == null || !ts.isIntegralNumber() || !ts.canConvertToLong()) {
      throw new IllegalArgumentException("snapshot entry " + key + ": bad timestamp");
    }
    String nodeId = string(v, "node");
    try {
      return new KvWrite(key, value, new Version(ts.asLong(), nodeId));
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("snapshot entry " + key + ": " + ex.getMessage());
    }
  }

  private static String string(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isString()) {
      throw new IllegalArgumentException("snapshot: " + field + " is missing or not a string");
    }
    return n.stringValue();
  }
}
