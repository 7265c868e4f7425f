/** The throughput and set-up benchmark recorded in BENCHMARKS.md (a program, not a timed test). */
package io.gossipnet.libp2p.bench;
