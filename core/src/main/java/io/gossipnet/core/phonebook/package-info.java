/**
 * The phonebook of peer addresses a node may dial (persistent and DNS-discovered, by role) and the
 * per-address outbound rate limiting built on it: a rate-limited dialing helper and a
 * rate-limiting {@link io.gossipnet.core.http.PeerHttpClient} wrapper.
 */
package io.gossipnet.core.phonebook;
