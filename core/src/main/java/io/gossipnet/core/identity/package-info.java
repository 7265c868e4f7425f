/**
 * The identity challenge (Ed25519-signed handshake messages) and the tracker that keeps one
 * connection per remote identity.
 */
package io.gossipnet.core.identity;
