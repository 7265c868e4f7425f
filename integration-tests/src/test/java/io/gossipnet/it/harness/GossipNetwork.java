package io.gossipnet.it.harness;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * A private Docker bridge network for the gossip traffic between node containers, with a subnet of
 * its own so that every node keeps its IP address when it is disconnected and connected again (a
 * partition that heals, rather than a node that comes back as a stranger).
 *
 * <p>Node containers are created on Docker's default bridge, which carries only the tests' own
 * HTTP requests to the mapped ports, and are attached to this network under their DNS alias before
 * they start: nodes know each other only by these aliases, which resolve only on this network, so
 * disconnecting a container from it cuts it off from the gossip mesh while the test can still ask
 * it for its status.
 */
public final class GossipNetwork implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GossipNetwork.class);

  private final DockerClient docker;
  private final String id;
  private final String name;
  private final String prefix;
  private final AtomicInteger nextHost = new AtomicInteger(10);

  private GossipNetwork(DockerClient docker, String id, String name, String prefix) {
    this.docker = docker;
    this.id = id;
    this.name = name;
    this.prefix = prefix;
  }

  /**
   * Creates a network with a free /24 subnet in 10.231.0.0/16 to 10.250.0.0/16.
   *
   * @return the new network; close it to remove it
   */
  public static GossipNetwork create() {
    DockerClient docker = DockerClientFactory.instance().client();
    String name = "gossipnet-it-" + UUID.randomUUID().toString().substring(0, 8);
    DockerException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      String prefix = "10." + random.nextInt(231, 251) + "." + random.nextInt(0, 256) + ".";
      try {
        String id =
            docker
                .createNetworkCmd()
                .withName(name)
                .withDriver("bridge")
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(prefix + "0/24")))
                .exec()
                .getId();
        LOG.info("network {} ({}0/24) created", name, prefix);
        return new GossipNetwork(docker, id, name, prefix);
      } catch (DockerException e) {
        // Most likely "Pool overlaps with other one on this address space": try another subnet.
        last = e;
      }
    }
    throw new IllegalStateException("could not create a Docker network with a free subnet", last);
  }

  /**
   * The network's Docker id.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * The network's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Reserves the next host address of the subnet for a container.
   *
   * @return an IPv4 address in the network's subnet
   */
  public String nextAddress() {
    int host = nextHost.getAndIncrement();
    if (host > 250) {
      throw new IllegalStateException("no more addresses in " + prefix + "0/24");
    }
    return prefix + host;
  }

  /**
   * Attaches a container under a DNS alias at a fixed address.
   *
   * @param containerId the container
   * @param alias the name other containers on this network reach it by
   * @param address its IPv4 address on this network
   */
  public void connect(String containerId, String alias, String address) {
    docker
        .connectToNetworkCmd()
        .withNetworkId(id)
        .withContainerId(containerId)
        .withContainerNetwork(
            new ContainerNetwork()
                .withAliases(List.of(alias))
                .withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(address)))
        .exec();
  }

  /**
   * Detaches a container: its connections over this network stop carrying packets.
   *
   * @param containerId the container
   */
  public void disconnect(String containerId) {
    docker.disconnectFromNetworkCmd().withNetworkId(id).withContainerId(containerId).exec();
  }

  @Override
  public void close() {
    try {
      docker.removeNetworkCmd(id).exec();
    } catch (RuntimeException e) {
      LOG.warn("could not remove network {}: {}", name, e.toString());
    }
  }
}
