/**
 * The {@code gossipnet p2p} commands: a bare libp2p host ({@code listen}) and the {@code ping} and
 * {@code identify} clients, on the {@code gossipnet-libp2p} module.
 */
package io.gossipnet.node.p2p;
