package io.gossipnet.node;

import io.gossipnet.node.p2p.P2pCommand;
import com.google.inject.Module;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gossipnet} command line: {@code run} (one node), {@code demo} (N nodes in one JVM) and
 * {@code p2p} (a bare libp2p host).
 *
 * <p>An application built on gossipnet can use it as its launcher: {@link #run(String[],
 * Module...)} runs the same command line with the application's Guice modules installed beside the
 * transport module and the http-services, so its handlers, validators and HTTP services (and, with
 * {@link NetworkConfigurer}, its tags) are part of every node that {@code run} starts; the node
 * takes {@code run}'s options, which is also the contract of {@code gossipnet-testcontainers}.
 */
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
    System.exit(run(args));
  }

  /**
   * Runs the command line with an application's modules and returns its exit status; {@code run}
   * installs them in every node it starts (the other commands ignore them).
   *
   * @param args the command line, for example {@code run --transport ws --listen 0.0.0.0:4160
   *     --genesis my-net}
   * @param appModules the application's Guice modules; those that implement {@link
   *     NetworkConfigurer} also adjust the network configuration
   * @return the exit status: 0 after an orderly stop, 1 when the node failed, 2 for bad options
   */
  public static int run(String[] args, Module... appModules) {
    List<Module> modules = List.of(appModules);
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == RunCommand.class) {
              return type.cast(new RunCommand(modules));
            }
            return defaults.create(type);
          }
        };
    return new CommandLine(new GossipnetCli(), factory).execute(args);
  }
}
