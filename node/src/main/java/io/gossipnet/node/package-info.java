/** The runnable node and the gossipnet command line. */
package io.gossipnet.node;
