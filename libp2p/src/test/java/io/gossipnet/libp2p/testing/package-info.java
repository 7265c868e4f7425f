/** Test support shared by the libp2p tests and, through the test jar, by the node module's tests. */
package io.gossipnet.libp2p.testing;
