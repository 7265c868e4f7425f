package io.gossipnet.testcontainers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * One link of a {@link GossipnetCluster}: a private Docker bridge network between two node
 * containers, with a /28 subnet of its own so that each node keeps its address on it when the link
 * is cut and restored (a partition that heals, rather than a node that comes back as a stranger).
 *
 * <p>Each pair of nodes has its own link, so any set of links can be cut: a partition between two
 * groups, or a single pair. Nodes know each other by their aliases, which resolve (Docker's
 * embedded DNS) only on the links a container is attached to, to the address of the peer on the
 * link they share; a container also sits on Docker's default bridge, which carries only the test
 * host's requests to its mapped ports, so a node cut off from its peers still answers the test.
 */
final class LinkNetwork implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LinkNetwork.class);

  private final DockerClient docker;
  private final String id;
  private final String name;
  private final String prefix;
  private final int base;

  private LinkNetwork(DockerClient docker, String id, String name, String prefix, int base) {
    this.docker = docker;
    this.id = id;
    this.name = name;
    this.prefix = prefix;
    this.base = base;
  }

  /**
   * Creates a link with a free /28 subnet in 10.231.0.0/16 to 10.250.0.0/16.
   *
   * @param name the network's name
   * @return the new network; close it to remove it
   */
  static LinkNetwork create(String name) {
    DockerClient docker = DockerClientFactory.instance().client();
    DockerException last = null;
    for (int attempt = 0; attempt < 40; attempt++) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      String prefix = "10." + random.nextInt(231, 251) + "." + random.nextInt(0, 256) + ".";
      int base = random.nextInt(0, 16) * 16;
      try {
        String id =
            docker
                .createNetworkCmd()
                .withName(name)
                .withDriver("bridge")
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(prefix + base + "/28")))
                .exec()
                .getId();
        LOG.debug("network {} ({}{}/28) created", name, prefix, base);
        return new LinkNetwork(docker, id, name, prefix, base);
      } catch (DockerException e) {
        // Most likely "Pool overlaps with other one on this address space": try another subnet.
        last = e;
      }
    }
    throw new IllegalStateException("could not create a Docker network with a free subnet", last);
  }

  /**
   * The address of one end of the link.
   *
   * @param end 0 or 1
   * @return an IPv4 address in the link's subnet (the gateway, {@code .1}, is Docker's)
   */
  String address(int end) {
    return prefix + (base + 2 + end);
  }

  /**
   * The network's Docker id.
   *
   * @return the id
   */
  String id() {
    return id;
  }

  /**
   * The network's name.
   *
   * @return the name
   */
  String name() {
    return name;
  }

  /**
   * Attaches a container under a DNS alias at a fixed address.
   *
   * @param containerId the container
   * @param alias the name other containers on this network reach it by
   * @param address its IPv4 address on this network
   */
  void connect(String containerId, String alias, String address) {
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
  void disconnect(String containerId) {
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
