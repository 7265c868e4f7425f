/** The network's Micrometer meters: counters and gauges under {@code gossipnet.}. */
package io.gossipnet.core.metrics;
