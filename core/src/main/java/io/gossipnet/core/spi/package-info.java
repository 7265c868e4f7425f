/**
 * What a transport supplies to the transport-neutral engine: {@link
 * io.gossipnet.core.spi.MessageConnection} (one handshaken connection), {@link
 * io.gossipnet.core.spi.Transport} (listening, dialing, reporting connections) and {@link
 * io.gossipnet.core.spi.HttpHosting} (serving and calling HTTP).
 */
package io.gossipnet.core.spi;
