package io.gossipnet.node.p2p;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gossipnet p2p dht}: Kademlia DHT tools. */
@Command(name = "dht", mixinStandardHelpOptions = true, description = "Kademlia DHT tools.",
    subcommands = {FindProvidersCommand.class})
public final class DhtCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
