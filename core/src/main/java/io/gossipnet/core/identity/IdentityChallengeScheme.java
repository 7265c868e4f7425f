package io.gossipnet.core.identity;

/**
 * The three-step identity challenge that lets two nodes notice a second connection between them
 * (seed: {@code netidentity.go}). Transports call the first three methods in their handshakes; the
 * engine sends and checks the third message as tag {@code NI}.
 *
 * <ol>
 *   <li>The dialer sends a signed challenge naming the address it dialed ({@link
 *       #createChallenge}).
 *   <li>The acceptor checks it and, if the address is one of its dedup names, answers with a
 *       signed response echoing the challenge and adding its own ({@link
 *       #verifyRequestAndAttachResponse}); the dialer checks that ({@link #verifyResponse}).
 *   <li>The dialer signs the acceptor's challenge ({@link #verificationMessage}); the acceptor
 *       checks it ({@link #verifyVerificationMessage}).
 * </ol>
 */
public interface IdentityChallengeScheme {
  /** This node's Ed25519 public key (32 bytes). */
  byte[] publicKey();

  /**
   * Message 1: a challenge for the node at {@code address} (lower-cased by the scheme).
   *
   * @return the header value to send and the state needed to check the answer
   */
  Challenge createChallenge(String address);

  /**
   * Message 2, acceptor side.
   *
   * @param headerValue the dialer's challenge header, or null if absent
   * @return the response header to attach (null if none) and the pending identity
   * @throws IdentityException if the challenge is malformed or wrongly signed
   */
  ChallengeReply verifyRequestAndAttachResponse(String headerValue) throws IdentityException;

  /**
   * Message 2, dialer side.
   *
   * @param headerValue the acceptor's response header, or null if absent
   * @param sent the challenge this side sent
   * @return {@link HandshakeIdentity.Verified}, or {@link HandshakeIdentity#NONE} if absent
   * @throws IdentityException if the response is malformed, does not echo the challenge or is
   *     wrongly signed
   */
  HandshakeIdentity verifyResponse(String headerValue, Challenge sent) throws IdentityException;

  /** Message 3: the {@code NI} payload signing the acceptor's challenge. */
  byte[] verificationMessage(byte[] responseChallenge);

  /**
   * Checks message 3 against what the acceptor expects.
   *
   * @throws IdentityException if it is malformed, signs another challenge or is wrongly signed
   */
  void verifyVerificationMessage(byte[] payload, HandshakeIdentity.Pending pending)
      throws IdentityException;

  /**
   * A challenge sent by the dialer.
   *
   * @param headerValue base64 of the signed challenge message
   * @param challenge the 32 random bytes that the response must echo
   */
  record Challenge(String headerValue, byte[] challenge) {}

  /**
   * The acceptor's answer to a challenge.
   *
   * @param headerValue base64 of the signed response, or null to answer nothing
   * @param identity {@link HandshakeIdentity.Pending} if answered, else {@link
   *     HandshakeIdentity#NONE}
   */
  record ChallengeReply(String headerValue, HandshakeIdentity identity) {}
}
