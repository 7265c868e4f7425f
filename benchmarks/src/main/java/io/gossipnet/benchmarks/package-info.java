/** JMH benchmarks of gossipnet's hot paths; see the module README for how to run them. */
package io.gossipnet.benchmarks;
