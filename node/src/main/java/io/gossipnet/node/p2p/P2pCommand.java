package io.gossipnet.node.p2p;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gossipnet p2p}: libp2p host tools. */
@Command(
    name = "p2p",
    mixinStandardHelpOptions = true,
    description = "libp2p tools: run a host (gossip, DHT), ping or identify a peer, find DHT providers.",
    subcommands = {ListenCommand.class, PingCommand.class, IdentifyCommand.class, DhtCommand.class})
public final class P2pCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
