package io.gossipnet.node;

import io.gossipnet.node.p2p.P2pCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The gossipnet command line (minimal version of the libp2p branch; main's version adds its own
 * subcommands, and gets {@link P2pCommand} added to its list).
 */
@Command(
    name = "gossipnet",
    mixinStandardHelpOptions = true,
    version = "gossipnet 0.1.0-SNAPSHOT",
    description = "Gossip networking between the nodes of a peer-to-peer system.",
    subcommands = {P2pCommand.class, CommandLine.HelpCommand.class})
public final class GossipnetCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs the CLI and exits with its status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new GossipnetCli()).execute(args));
  }
}
