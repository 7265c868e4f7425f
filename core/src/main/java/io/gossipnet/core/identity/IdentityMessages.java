package io.gossipnet.core.identity;

import io.gossipnet.core.codec.MsgPackException;
import io.gossipnet.core.codec.MsgPackReader;
import io.gossipnet.core.codec.MsgPackWriter;
import java.nio.charset.StandardCharsets;

/**
 * The identity-challenge wire messages (seed: {@code netidentity.go}) and their canonical msgpack
 * encoding: maps with keys in sorted order, empty fields omitted, byte strings as {@code bin}.
 *
 * <p>Decoding accepts only maps with the known keys, each at most once, with fixed-size fields of
 * exactly their size and nothing after the message. A field that is absent decodes as empty (all
 * zero bytes for fixed-size fields), as in the seed; such a message then fails signature
 * verification or the challenge comparison. Signatures are checked over the re-encoded inner
 * message, never over the received bytes, so only the canonical form can verify.
 */
final class IdentityMessages {
  /** Length of challenge values {@code c} and {@code rc}. */
  static final int CHALLENGE_LENGTH = 32;

  /** Maximum length of the address {@code a}: a DNS name (255) plus room for a port. */
  static final int MAX_ADDRESS_LENGTH = 256 + 32;

  /** HashID prefixes that domain-separate the three signatures (seed: {@code protocol/hash.go}). */
  static final byte[] CHALLENGE_HASH_ID = ascii("NIC");

  static final byte[] RESPONSE_HASH_ID = ascii("NIR");
  static final byte[] VERIFICATION_HASH_ID = ascii("NIV");

  private static final int PK = IdentityKeys.PUBLIC_KEY_LENGTH;
  private static final int SIG = IdentityKeys.SIGNATURE_LENGTH;
  private static final int MAX_KEY_LENGTH = 8;

  private IdentityMessages() {}

  /**
   * One {@code bin} field of a body map: its key and its allowed length. A fixed-size field
   * ({@code min == max}) is omitted from the encoding when all zero, a variable one when empty, as
   * the seed's {@code omitempty} does; an absent field decodes as {@code min} zero bytes.
   */
  private record Field(String key, int min, int max) {
    boolean omitted(byte[] value) {
      return min == max ? isZero(value) : value.length == 0;
    }
  }

  private static final Field ADDRESS = new Field("a", 0, MAX_ADDRESS_LENGTH);
  private static final Field CHALLENGE = new Field("c", CHALLENGE_LENGTH, CHALLENGE_LENGTH);
  private static final Field PUBLIC_KEY = new Field("pk", PK, PK);
  private static final Field RESPONSE_CHALLENGE = new Field("rc", CHALLENGE_LENGTH, CHALLENGE_LENGTH);

  /** The body maps' fields, each list in the canonical (sorted) key order. */
  private static final Field[] CHALLENGE_FIELDS = {ADDRESS, CHALLENGE, PUBLIC_KEY};
  private static final Field[] RESPONSE_FIELDS = {CHALLENGE, PUBLIC_KEY, RESPONSE_CHALLENGE};
  private static final Field[] VERIFICATION_FIELDS = {RESPONSE_CHALLENGE};

  /** Message 1 body, {@code identityChallenge}: {@code {a, c, pk}}. */
  record ChallengeBody(byte[] publicKey, byte[] challenge, byte[] address) {
    byte[] encode() {
      return encodeFields(CHALLENGE_FIELDS, address, challenge, publicKey);
    }

    byte[] signedBytes() {
      return concat(CHALLENGE_HASH_ID, encode());
    }
  }

  /** Message 1, {@code identityChallengeSigned}: {@code {ic, sig}}. */
  record SignedChallenge(ChallengeBody body, byte[] signature) {
    static SignedChallenge sign(ChallengeBody body, IdentitySigner keys) {
      return new SignedChallenge(body, keys.sign(body.signedBytes()));
    }

    boolean verify() {
      return IdentityKeys.verify(body.publicKey(), body.signedBytes(), signature);
    }

    byte[] encode() {
      return encodeSigned("ic", body.encode(), signature);
    }

    static SignedChallenge decode(byte[] bytes) throws MsgPackException {
      Signed m = decodeSigned(bytes, "ic", CHALLENGE_FIELDS);
      return new SignedChallenge(new ChallengeBody(m.body()[2], m.body()[1], m.body()[0]), m.signature());
    }
  }

  /** Message 2 body, {@code identityChallengeResponse}: {@code {c, pk, rc}}. */
  record ResponseBody(byte[] publicKey, byte[] challenge, byte[] responseChallenge) {
    byte[] encode() {
      return encodeFields(RESPONSE_FIELDS, challenge, publicKey, responseChallenge);
    }

    byte[] signedBytes() {
      return concat(RESPONSE_HASH_ID, encode());
    }
  }

  /** Message 2, {@code identityChallengeResponseSigned}: {@code {icr, sig}}. */
  record SignedResponse(ResponseBody body, byte[] signature) {
    static SignedResponse sign(ResponseBody body, IdentitySigner keys) {
      return new SignedResponse(body, keys.sign(body.signedBytes()));
    }

    boolean verify() {
      return IdentityKeys.verify(body.publicKey(), body.signedBytes(), signature);
    }

    byte[] encode() {
      return encodeSigned("icr", body.encode(), signature);
    }

    static SignedResponse decode(byte[] bytes) throws MsgPackException {
      Signed m = decodeSigned(bytes, "icr", RESPONSE_FIELDS);
      return new SignedResponse(new ResponseBody(m.body()[1], m.body()[0], m.body()[2]), m.signature());
    }
  }

  /** Message 3 body, {@code identityVerificationMessage}: {@code {rc}}. */
  record VerificationBody(byte[] responseChallenge) {
    byte[] encode() {
      return encodeFields(VERIFICATION_FIELDS, responseChallenge);
    }

    byte[] signedBytes() {
      return concat(VERIFICATION_HASH_ID, encode());
    }
  }

  /** Message 3, {@code identityVerificationMessageSigned}: {@code {ivm, sig}}. */
  record SignedVerification(VerificationBody body, byte[] signature) {
    static SignedVerification sign(VerificationBody body, IdentitySigner keys) {
      return new SignedVerification(body, keys.sign(body.signedBytes()));
    }

    boolean verify(byte[] publicKey) {
      return IdentityKeys.verify(publicKey, body.signedBytes(), signature);
    }

    byte[] encode() {
      return encodeSigned("ivm", body.encode(), signature);
    }

    static SignedVerification decode(byte[] bytes) throws MsgPackException {
      Signed m = decodeSigned(bytes, "ivm", VERIFICATION_FIELDS);
      return new SignedVerification(new VerificationBody(m.body()[0]), m.signature());
    }
  }

  /** A decoded signed message: its body's field values (in the fields' order) and signature. */
  private record Signed(byte[][] body, byte[] signature) {}

  /** Encodes the fields that are not omitted, in {@code fields}' (sorted) order. */
  private static byte[] encodeFields(Field[] fields, byte[]... values) {
    int present = 0;
    for (int i = 0; i < fields.length; i++) {
      present += fields[i].omitted(values[i]) ? 0 : 1;
    }
    MsgPackWriter w = new MsgPackWriter().mapHeader(present);
    for (int i = 0; i < fields.length; i++) {
      if (!fields[i].omitted(values[i])) {
        w.str(fields[i].key()).bin(values[i]);
      }
    }
    return w.toByteArray();
  }

  /** Decodes a body map of {@code fields}: each key at most once, unknown keys refused. */
  private static byte[][] decodeFields(MsgPackReader r, Field[] fields) throws MsgPackException {
    byte[][] values = new byte[fields.length][];
    int n = r.mapHeader(fields.length);
    for (int i = 0; i < n; i++) {
      String key = r.key(MAX_KEY_LENGTH);
      int f = indexOf(fields, key);
      checkFirst(values[f], key);
      values[f] = r.bin(key, fields[f].min(), fields[f].max());
    }
    return withAbsentZeroed(values, fields);
  }

  /** Decodes {@code {bodyKey: {fields}, sig}} and requires that nothing follows it. */
  private static Signed decodeSigned(byte[] bytes, String bodyKey, Field[] fields) throws MsgPackException {
    MsgPackReader r = new MsgPackReader(bytes);
    byte[][] body = null;
    byte[] sig = null;
    int n = r.mapHeader(2);
    for (int i = 0; i < n; i++) {
      String key = r.key(MAX_KEY_LENGTH);
      if (key.equals(bodyKey)) {
        checkFirst(body, key);
        body = decodeFields(r, fields);
      } else if (key.equals("sig")) {
        checkFirst(sig, key);
        sig = r.bin(key, SIG, SIG);
      } else {
        throw unknown(key);
      }
    }
    r.end();
    return new Signed(body != null ? body : withAbsentZeroed(new byte[fields.length][], fields), orZero(sig, SIG));
  }

  private static int indexOf(Field[] fields, String key) throws MsgPackException {
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].key().equals(key)) {
        return i;
      }
    }
    throw unknown(key);
  }

  private static byte[][] withAbsentZeroed(byte[][] values, Field[] fields) {
    for (int i = 0; i < fields.length; i++) {
      values[i] = orZero(values[i], fields[i].min());
    }
    return values;
  }

  private static byte[] encodeSigned(String bodyKey, byte[] encodedBody, byte[] signature) {
    // Keys sorted: "ic", "icr" and "ivm" all sort before "sig". An empty body map is omitted.
    boolean hasBody = encodedBody.length > 1;
    boolean hasSig = !isZero(signature);
    MsgPackWriter w = new MsgPackWriter().mapHeader((hasBody ? 1 : 0) + (hasSig ? 1 : 0));
    if (hasBody) {
      w.str(bodyKey).raw(encodedBody);
    }
    if (hasSig) {
      w.str("sig").bin(signature);
    }
    return w.toByteArray();
  }

  static boolean isZero(byte[] bytes) {
    int acc = 0;
    for (byte b : bytes) {
      acc |= b;
    }
    return acc == 0;
  }

  private static byte[] orZero(byte[] value, int length) {
    return value != null ? value : new byte[length];
  }

  private static void checkFirst(Object seen, String key) throws MsgPackException {
    if (seen != null) {
      throw new MsgPackException("duplicate key " + key);
    }
  }

  private static MsgPackException unknown(String key) {
    return new MsgPackException("unknown key " + printable(key));
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      b.append(ch >= 0x20 && ch <= 0x7e ? ch : '?');
    }
    return '"' + b.toString() + '"';
  }

  private static byte[] concat(byte[] prefix, byte[] body) {
    byte[] out = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
