/** The runnable node and the {@code gossipnet} command line (picocli). */
package io.gossipnet.node;
