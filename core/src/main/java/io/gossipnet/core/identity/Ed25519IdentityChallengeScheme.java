package io.gossipnet.core.identity;

import io.gossipnet.core.codec.MsgPackException;
import io.gossipnet.core.identity.IdentityMessages.ChallengeBody;
import io.gossipnet.core.identity.IdentityMessages.ResponseBody;
import io.gossipnet.core.identity.IdentityMessages.SignedChallenge;
import io.gossipnet.core.identity.IdentityMessages.SignedResponse;
import io.gossipnet.core.identity.IdentityMessages.SignedVerification;
import io.gossipnet.core.identity.IdentityMessages.VerificationBody;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The seed's {@code identityChallengePublicKeyScheme}: Ed25519-signed, msgpack-encoded identity
 * messages, carried base64-encoded in the {@code X-Algorand-IdentityChallenge} header (messages 1
 * and 2) and as the raw {@code NI} gossip payload (message 3).
 *
 * <p>The dedup names are the addresses this node is known by (its public address and, in hybrid
 * mode, its libp2p peer ID). They are lower-cased and compared with the lower-cased address a
 * challenge was sent to; empty names are ignored. With no dedup names the scheme never answers a
 * challenge, but can still issue and check its own.
 *
 * <p>Header values longer than {@value #MAX_HEADER_LENGTH} characters and {@code NI} payloads
 * longer than {@value #MAX_VERIFICATION_LENGTH} bytes are rejected before decoding. Instances are
 * immutable and thread-safe.
 */
public final class Ed25519IdentityChallengeScheme implements IdentityChallengeScheme {
  /** The handshake header that carries messages 1 and 2. */
  public static final String HEADER_NAME = "X-Algorand-IdentityChallenge";

  /**
   * Longest header value accepted, in base64 characters. The largest valid message (a challenge
   * with a 288-byte address) takes under 600.
   */
  public static final int MAX_HEADER_LENGTH = 1024;

  /** Longest {@code NI} payload accepted, in bytes. A valid one takes 113. */
  public static final int MAX_VERIFICATION_LENGTH = 256;

  private final IdentitySigner keys;
  private final Set<String> dedupNames;
  private final RandomGenerator random;

  /**
   * Creates a scheme.
   *
   * @param keys what signs for this node ({@link IdentityKeys}, or a hybrid node's libp2p key)
   * @param dedupNames addresses this node is known by (compared lower-cased); may be empty
   */
  public Ed25519IdentityChallengeScheme(IdentitySigner keys, Collection<String> dedupNames) {
    this(keys, dedupNames, new SecureRandom());
  }

  /** As the public constructor, with a given source of challenge bytes (for tests). */
  Ed25519IdentityChallengeScheme(
      IdentitySigner keys, Collection<String> dedupNames, RandomGenerator random) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.random = Objects.requireNonNull(random, "random");
    Objects.requireNonNull(dedupNames, "dedupNames");
    Set<String> names = new LinkedHashSet<>();
    for (String name : dedupNames) {
      if (name != null && !name.isEmpty()) {
        names.add(name.toLowerCase(Locale.ROOT));
      }
    }
    this.dedupNames = Set.copyOf(names);
  }

  /** The lower-cased dedup names this scheme answers to. */
  public Set<String> dedupNames() {
    return dedupNames;
  }

  @Override
  public byte[] publicKey() {
    return keys.publicKey();
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the lower-cased address is longer than 288 bytes in UTF-8
   */
  @Override
  public IdentityChallengeScheme.Challenge createChallenge(String address) {
    Objects.requireNonNull(address, "address");
    byte[] a = address.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    if (a.length > IdentityMessages.MAX_ADDRESS_LENGTH) {
      throw new IllegalArgumentException(
          "address is " + a.length + " bytes, at most " + IdentityMessages.MAX_ADDRESS_LENGTH);
    }
    byte[] c = newChallengeValue();
    SignedChallenge signed = SignedChallenge.sign(new ChallengeBody(keys.publicKey(), c, a), keys);
    return new IdentityChallengeScheme.Challenge(encodeHeader(signed.encode()), c.clone());
  }

  @Override
  public ChallengeReply verifyRequestAndAttachResponse(String headerValue)
      throws IdentityException {
    if (dedupNames.isEmpty() || headerValue == null || headerValue.isEmpty()) {
      return new ChallengeReply(null, HandshakeIdentity.NONE);
    }
    SignedChallenge request;
    try {
      request = SignedChallenge.decode(decodeHeader(headerValue));
    } catch (MsgPackException e) {
      throw new IdentityException("identity challenge could not be decoded: " + e.getMessage(), e);
    }
    if (!request.verify()) {
      throw new IdentityException("identity challenge incorrectly signed");
    }
    // A challenge meant for another name (e.g. a misconfigured public address) is not an error:
    // the connection goes ahead without identity.
    if (!isDedupName(request.body().address())) {
      return new ChallengeReply(null, HandshakeIdentity.NONE);
    }
    byte[] rc = newChallengeValue();
    ResponseBody response = new ResponseBody(keys.publicKey(), request.body().challenge(), rc);
    String header = encodeHeader(SignedResponse.sign(response, keys).encode());
    return new ChallengeReply(
        header, new HandshakeIdentity.Pending(request.body().publicKey(), rc.clone()));
  }

  @Override
  public HandshakeIdentity verifyResponse(String headerValue, IdentityChallengeScheme.Challenge sent)
      throws IdentityException {
    Objects.requireNonNull(sent, "sent");
    if (headerValue == null || headerValue.isEmpty()) {
      return HandshakeIdentity.NONE;
    }
    SignedResponse response;
    try {
      response = SignedResponse.decode(decodeHeader(headerValue));
    } catch (MsgPackException e) {
      throw new IdentityException(
          "identity challenge response could not be decoded: " + e.getMessage(), e);
    }
    if (!MessageDigest.isEqual(response.body().challenge(), sent.challenge())) {
      throw new IdentityException(
          "identity challenge response did not contain the challenge that was sent");
    }
    if (!response.verify()) {
      throw new IdentityException("identity challenge response incorrectly signed");
    }
    return new HandshakeIdentity.Verified(
        response.body().publicKey(), response.body().responseChallenge());
  }

  /**
   * {@inheritDoc}
   *
   * <p>The result is the msgpack payload only; the transport adds the {@code NI} tag.
   *
   * @throws IllegalArgumentException if {@code responseChallenge} is not 32 bytes
   */
  @Override
  public byte[] verificationMessage(byte[] responseChallenge) {
    Objects.requireNonNull(responseChallenge, "responseChallenge");
    if (responseChallenge.length != IdentityMessages.CHALLENGE_LENGTH) {
      throw new IllegalArgumentException(
          "response challenge must be 32 bytes, got " + responseChallenge.length);
    }
    VerificationBody body = new VerificationBody(responseChallenge.clone());
    return SignedVerification.sign(body, keys).encode();
  }

  @Override
  public void verifyVerificationMessage(byte[] payload, HandshakeIdentity.Pending pending)
      throws IdentityException {
    Objects.requireNonNull(pending, "pending");
    if (payload == null) {
      throw new IdentityException("identity verification message is missing");
    }
    if (payload.length > MAX_VERIFICATION_LENGTH) {
      throw new IdentityException(
          "identity verification message is " + payload.length + " bytes, too long");
    }
    SignedVerification message;
    try {
      message = SignedVerification.decode(payload);
    } catch (MsgPackException e) {
      throw new IdentityException(
          "identity verification message could not be decoded: " + e.getMessage(), e);
    }
    if (!MessageDigest.isEqual(message.body().responseChallenge(), pending.responseChallenge())) {
      throw new IdentityException("identity verification challenge does not match");
    }
    if (!message.verify(pending.peerPublicKey())) {
      throw new IdentityException("identity verification message incorrectly signed");
    }
  }

  @Override
  public String toString() {
    return "Ed25519IdentityChallengeScheme[" + keys + ", dedupNames=" + dedupNames + "]";
  }

  private boolean isDedupName(byte[] address) {
    if (address.length == 0) {
      return false;
    }
    String name;
    try {
      name =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(address))
              .toString();
    } catch (CharacterCodingException e) {
      return false; // cannot be one of our (valid UTF-8) names
    }
    return dedupNames.contains(name.toLowerCase(Locale.ROOT));
  }

  private byte[] newChallengeValue() {
    byte[] value = new byte[IdentityMessages.CHALLENGE_LENGTH];
    random.nextBytes(value);
    return value;
  }

  private static String encodeHeader(byte[] message) {
    return Base64.getEncoder().encodeToString(message);
  }

  private static byte[] decodeHeader(String headerValue) throws MsgPackException {
    if (headerValue.length() > MAX_HEADER_LENGTH) {
      throw new MsgPackException(
          "header is " + headerValue.length() + " characters, at most " + MAX_HEADER_LENGTH);
    }
    if (headerValue.length() % 4 != 0) {
      throw new MsgPackException("header is not padded base64");
    }
    try {
      return Base64.getDecoder().decode(headerValue);
    } catch (IllegalArgumentException e) {
      throw new MsgPackException("header is not base64: " + e.getMessage());
    }
  }
}
