/** The P2P transport's benchmark: P2PNetwork beside WsNetwork and a raw libp2p stream. */
package io.gossipnet.benchmarks.p2p;
