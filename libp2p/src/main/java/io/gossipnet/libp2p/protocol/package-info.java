/** libp2p protocols on top of streams: Identify (and push), Ping and HTTP/1.1 over a stream. */
package io.gossipnet.libp2p.protocol;
