/** Internal: the small hand-written protobuf reader and writer for libp2p's messages. */
package io.gossipnet.libp2p.internal.wire;
