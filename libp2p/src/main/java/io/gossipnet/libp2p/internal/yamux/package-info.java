/** Internal: the Yamux muxer, its session handler and flow-controlled streams. */
package io.gossipnet.libp2p.internal.yamux;
