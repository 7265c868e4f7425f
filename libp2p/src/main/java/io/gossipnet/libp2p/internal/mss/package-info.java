/** Internal: multistream-select 1.0, as a Netty handler for connections and blocking for streams. */
package io.gossipnet.libp2p.internal.mss;
