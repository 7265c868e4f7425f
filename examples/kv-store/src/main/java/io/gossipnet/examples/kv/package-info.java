/**
 * A replicated key-value store built on gossipnet, the project's example application.
 *
 * <p>{@link io.gossipnet.examples.kv.KvNode} is the launcher: the stock {@code gossipnet run}
 * command line with {@link io.gossipnet.examples.kv.KvModule} installed. The module adds the tag
 * {@code KV}, whose messages are writes ({@link io.gossipnet.examples.kv.KvCodec}); a node applies
 * a write to its {@link io.gossipnet.examples.kv.KvStore} (a last-writer-wins map) and relays it
 * when it changed the store. HTTP services under {@code /v1/{genesisID}/kv} read and write the
 * store ({@link io.gossipnet.examples.kv.KvHttp}), and {@link
 * io.gossipnet.examples.kv.AntiEntropy} pulls the peers' snapshots ({@link
 * io.gossipnet.examples.kv.KvJson}) so that a node that missed writes catches up.
 */
package io.gossipnet.examples.kv;
