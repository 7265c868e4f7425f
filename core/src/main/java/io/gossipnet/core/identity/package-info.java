/**
 * The identity challenge (Ed25519-signed handshake messages) and the tracker that keeps one
 * connection per remote identity (seed: {@code network/netidentity.go}).
 *
 * <ul>
 *   <li>{@link io.gossipnet.core.identity.IdentityChallengeScheme} is the three-message exchange;
 *       {@link io.gossipnet.core.identity.Ed25519IdentityChallengeScheme} implements it with the
 *       seed's wire format: canonical msgpack ({@code ic}/{@code icr}/{@code ivm} + {@code sig}),
 *       signatures over the HashIDs {@code NIC}/{@code NIR}/{@code NIV} followed by the inner
 *       message, base64 in the {@code X-Algorand-IdentityChallenge} header.
 *   <li>{@link io.gossipnet.core.identity.IdentityKeys} holds the Ed25519 key pair (32-byte raw
 *       public keys) and signs and verifies with BouncyCastle's RFC 8032 code, not the JDK's
 *       slower provider (same signatures; see its Javadoc).
 *   <li>{@link io.gossipnet.core.identity.IdentityTracker} maps verified public keys to
 *       connections; {@link io.gossipnet.core.identity.PublicKeyIdentityTracker} is the default,
 *       {@link io.gossipnet.core.identity.IdentityTracker#noop()} the pure-P2P one.
 * </ul>
 *
 * <p>The messages are written and read with the msgpack codec of {@code io.gossipnet.core.codec},
 * which treats its input as hostile.
 */
package io.gossipnet.core.identity;
