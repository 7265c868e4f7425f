/**
 * Whole-transport benchmarks of the WebSocket transport, run as a main class ({@link
 * io.gossipnet.benchmarks.ws.WsBench}) because they measure two nodes talking over loopback, not a
 * hot method: messages per second in go-algorand's shape next to a raw Jetty baseline, bytes per
 * second next to raw Jetty and iperf3, heap per idle peer, and connection set-up time.
 */
package io.gossipnet.benchmarks.ws;
