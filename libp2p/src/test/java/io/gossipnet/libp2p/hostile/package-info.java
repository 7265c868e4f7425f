/** Tests with hostile peers on raw sockets. */
package io.gossipnet.libp2p.hostile;
