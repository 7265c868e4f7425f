/** Internal wiring of the host: Netty pipelines for the connection upgrade and connections. */
package io.gossipnet.libp2p.internal;
