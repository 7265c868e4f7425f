/**
 * The transport-neutral peer engine: {@link io.gossipnet.core.engine.NetworkEngine} (the network a
 * transport plugs into), {@link io.gossipnet.core.engine.WsPeer} (one peer's read and write
 * loops), the broadcaster, the multiplexer and the priority queues they share.
 */
package io.gossipnet.core.engine;
