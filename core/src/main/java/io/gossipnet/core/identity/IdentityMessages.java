package io.gossipnet.core.identity;

import io.gossipnet.core.identity.MsgPackReader.MsgPackException;
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

  /** Message 1 body, {@code identityChallenge}: {@code {a, c, pk}}. */
  record ChallengeBody(byte[] publicKey, byte[] challenge, byte[] address) {
    byte[] encode() {
      MsgPackWriter w = new MsgPackWriter();
      int size = count(address.length > 0, !isZero(challenge), !isZero(publicKey));
      w.mapHeader(size);
      if (address.length > 0) {
        w.key("a").bin(address);
      }
      if (!isZero(challenge)) {
        w.key("c").bin(challenge);
      }
      if (!isZero(publicKey)) {
        w.key("pk").bin(publicKey);
      }
      return w.toByteArray();
    }

    byte[] signedBytes() {
      return concat(CHALLENGE_HASH_ID, encode());
    }
  }

  /** Message 1, {@code identityChallengeSigned}: {@code {ic, sig}}. */
  record SignedChallenge(ChallengeBody body, byte[] signature) {
    static SignedChallenge sign(ChallengeBody body, IdentityKeys keys) {
      return new SignedChallenge(body, keys.sign(body.signedBytes()));
    }

    boolean verify() {
      return IdentityKeys.verify(body.publicKey(), body.signedBytes(), signature);
    }

    byte[] encode() {
      return encodeSigned("ic", body.encode(), signature);
    }

    static SignedChallenge decode(byte[] bytes) throws MsgPackException {
      MsgPackReader r = new MsgPackReader(bytes);
      ChallengeBody body = null;
      byte[] sig = null;
      int n = r.mapHeader(2);
      for (int i = 0; i < n; i++) {
        String key = r.key(MAX_KEY_LENGTH);
        switch (key) {
          case "ic" -> {
            checkFirst(body, key);
            body = decodeChallenge(r);
          }
          case "sig" -> {
            checkFirst(sig, key);
            sig = r.bin(key, SIG, SIG);
          }
          default -> throw unknown(key);
        }
      }
      r.end();
      return new SignedChallenge(
          body != null ? body : new ChallengeBody(new byte[PK], new byte[CHALLENGE_LENGTH], new byte[0]),
          orZero(sig, SIG));
    }

    private static ChallengeBody decodeChallenge(MsgPackReader r) throws MsgPackException {
      byte[] pk = null;
      byte[] c = null;
      byte[] a = null;
      int n = r.mapHeader(3);
      for (int i = 0; i < n; i++) {
        String key = r.key(MAX_KEY_LENGTH);
        switch (key) {
          case "pk" -> {
            checkFirst(pk, key);
            pk = r.bin(key, PK, PK);
          }
          case "c" -> {
            checkFirst(c, key);
            c = r.bin(key, CHALLENGE_LENGTH, CHALLENGE_LENGTH);
          }
          case "a" -> {
            checkFirst(a, key);
            a = r.bin(key, 0, MAX_ADDRESS_LENGTH);
          }
          default -> throw unknown(key);
        }
      }
      return new ChallengeBody(orZero(pk, PK), orZero(c, CHALLENGE_LENGTH), orZero(a, 0));
    }
  }

  /** Message 2 body, {@code identityChallengeResponse}: {@code {c, pk, rc}}. */
  record ResponseBody(byte[] publicKey, byte[] challenge, byte[] responseChallenge) {
    byte[] encode() {
      MsgPackWriter w = new MsgPackWriter();
      w.mapHeader(count(!isZero(challenge), !isZero(publicKey), !isZero(responseChallenge)));
      if (!isZero(challenge)) {
        w.key("c").bin(challenge);
      }
      if (!isZero(publicKey)) {
        w.key("pk").bin(publicKey);
      }
      if (!isZero(responseChallenge)) {
        w.key("rc").bin(responseChallenge);
      }
      return w.toByteArray();
    }

    byte[] signedBytes() {
      return concat(RESPONSE_HASH_ID, encode());
    }
  }

  /** Message 2, {@code identityChallengeResponseSigned}: {@code {icr, sig}}. */
  record SignedResponse(ResponseBody body, byte[] signature) {
    static SignedResponse sign(ResponseBody body, IdentityKeys keys) {
      return new SignedResponse(body, keys.sign(body.signedBytes()));
    }

    boolean verify() {
      return IdentityKeys.verify(body.publicKey(), body.signedBytes(), signature);
    }

    byte[] encode() {
      return encodeSigned("icr", body.encode(), signature);
    }

    static SignedResponse decode(byte[] bytes) throws MsgPackException {
      MsgPackReader r = new MsgPackReader(bytes);
      ResponseBody body = null;
      byte[] sig = null;
      int n = r.mapHeader(2);
      for (int i = 0; i < n; i++) {
        String key = r.key(MAX_KEY_LENGTH);
        switch (key) {
          case "icr" -> {
            checkFirst(body, key);
            body = decodeResponse(r);
          }
          case "sig" -> {
            checkFirst(sig, key);
            sig = r.bin(key, SIG, SIG);
          }
          default -> throw unknown(key);
        }
      }
      r.end();
      return new SignedResponse(
          body != null
              ? body
              : new ResponseBody(new byte[PK], new byte[CHALLENGE_LENGTH], new byte[CHALLENGE_LENGTH]),
          orZero(sig, SIG));
    }

    private static ResponseBody decodeResponse(MsgPackReader r) throws MsgPackException {
      byte[] pk = null;
      byte[] c = null;
      byte[] rc = null;
      int n = r.mapHeader(3);
      for (int i = 0; i < n; i++) {
        String key = r.key(MAX_KEY_LENGTH);
        switch (key) {
          case "pk" -> {
            checkFirst(pk, key);
            pk = r.bin(key, PK, PK);
          }
          case "c" -> {
            checkFirst(c, key);
            c = r.bin(key, CHALLENGE_LENGTH, CHALLENGE_LENGTH);
          }
          case "rc" -> {
            checkFirst(rc, key);
            rc = r.bin(key, CHALLENGE_LENGTH, CHALLENGE_LENGTH);
          }
          default -> throw unknown(key);
        }
      }
      return new ResponseBody(
          orZero(pk, PK), orZero(c, CHALLENGE_LENGTH), orZero(rc, CHALLENGE_LENGTH));
    }
  }

  /** Message 3 body, {@code identityVerificationMessage}: {@code {rc}}. */
  record VerificationBody(byte[] responseChallenge) {
    byte[] encode() {
      MsgPackWriter w = new MsgPackWriter();
      w.mapHeader(count(!isZero(responseChallenge)));
      if (!isZero(responseChallenge)) {
        w.key("rc").bin(responseChallenge);
      }
      return w.toByteArray();
    }

    byte[] signedBytes() {
      return concat(VERIFICATION_HASH_ID, encode());
    }
  }

  /** Message 3, {@code identityVerificationMessageSigned}: {@code {ivm, sig}}. */
  record SignedVerification(VerificationBody body, byte[] signature) {
    static SignedVerification sign(VerificationBody body, IdentityKeys keys) {
      return new SignedVerification(body, keys.sign(body.signedBytes()));
    }

    boolean verify(byte[] publicKey) {
      return IdentityKeys.verify(publicKey, body.signedBytes(), signature);
    }

    byte[] encode() {
      return encodeSigned("ivm", body.encode(), signature);
    }

    static SignedVerification decode(byte[] bytes) throws MsgPackException {
      MsgPackReader r = new MsgPackReader(bytes);
      VerificationBody body = null;
      byte[] sig = null;
      int n = r.mapHeader(2);
      for (int i = 0; i < n; i++) {
        String key = r.key(MAX_KEY_LENGTH);
        switch (key) {
          case "ivm" -> {
            checkFirst(body, key);
            byte[] rc = null;
            int m = r.mapHeader(1);
            for (int j = 0; j < m; j++) {
              String inner = r.key(MAX_KEY_LENGTH);
              if (!inner.equals("rc")) {
                throw unknown(inner);
              }
              rc = r.bin(inner, CHALLENGE_LENGTH, CHALLENGE_LENGTH);
            }
            body = new VerificationBody(orZero(rc, CHALLENGE_LENGTH));
          }
          case "sig" -> {
            checkFirst(sig, key);
            sig = r.bin(key, SIG, SIG);
          }
          default -> throw unknown(key);
        }
      }
      r.end();
      return new SignedVerification(
          body != null ? body : new VerificationBody(new byte[CHALLENGE_LENGTH]), orZero(sig, SIG));
    }
  }

  private static byte[] encodeSigned(String bodyKey, byte[] encodedBody, byte[] signature) {
    // Keys sorted: "ic", "icr" and "ivm" all sort before "sig". An empty body map is omitted.
    boolean hasBody = encodedBody.length > 1;
    boolean hasSig = !isZero(signature);
    MsgPackWriter w = new MsgPackWriter().mapHeader(count(hasBody, hasSig));
    if (hasBody) {
      w.key(bodyKey).raw(encodedBody);
    }
    if (hasSig) {
      w.key("sig").bin(signature);
    }
    return w.toByteArray();
  }

  private static int count(boolean... present) {
    int n = 0;
    for (boolean p : present) {
      n += p ? 1 : 0;
    }
    return n;
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
