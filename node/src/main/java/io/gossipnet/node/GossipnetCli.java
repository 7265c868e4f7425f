package io.gossipnet.node;

import io.gossipnet.node.p2p.P2pCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gossipnet} command line: {@code run} (one node), {@code demo} (N nodes in one JVM) and {@code p2p} (a bare libp2p host). */
@Command(
    name = "gossipnet",
    mixinStandardHelpOptions = true,
    version = "gossipnet 0.1.0-SNAPSHOT",
    description = "Gossip networking between the nodes of a peer-to-peer system.",
    subcommands = {RunCommand.class, DemoCommand.class, P2pCommand.class, CommandLine.HelpCommand.class})
public final class GossipnetCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    int code = new CommandLine(new GossipnetCli()).execute(args);
    System.exit(code);
  }
}
