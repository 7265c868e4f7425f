package io.gossipnet.examples.kv;

import io.gossipnet.node.GossipnetCli;

/**
 * The key-value store's launcher: {@code java -jar gossipnet-example-kv.jar run --transport ws
 * --listen 127.0.0.1:4160 --genesis kv-demo ...} takes the options of {@code gossipnet run} (see
 * the node's README) and runs a node with {@link KvModule} installed.
 */
public final class KvNode {
  private KvNode() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(GossipnetCli.run(args, new KvModule()));
  }
}
