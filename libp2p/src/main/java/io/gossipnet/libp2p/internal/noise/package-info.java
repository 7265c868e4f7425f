/** Internal: the Noise XX handshake with libp2p's payload, and the Noise transport codec. */
package io.gossipnet.libp2p.internal.noise;
