package io.gossipnet.node.p2p;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.IdentifyInfo;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.http.Json;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gossipnet p2p identify MULTIADDR}: dial and print the remote's identify record as JSON. */
@Command(name = "identify", mixinStandardHelpOptions = true,
    description = "Dial a libp2p peer and print its identify record as JSON.")
public final class IdentifyCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Peer multiaddr, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...")
  String address;

  @Option(names = "--timeout", defaultValue = "10", description = "Seconds to wait (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Host host = Host.builder().build().start()) {
      Connection c = host.dial(Multiaddr.fromString(address)).get(timeoutSeconds, TimeUnit.SECONDS);
      IdentifyInfo info = c.identify().get(timeoutSeconds, TimeUnit.SECONDS);
      out.println(toJson(c, info));
      out.flush();
      return 0;
    } catch (Exception e) {
      spec.commandLine().getErr().println("identify " + address + " failed: " + Failures.describe(e));
      return 1;
    }
  }

  static String toJson(Connection c, IdentifyInfo info) {
    return "{\"peerId\":" + Json.quote(c.remotePeerId().toBase58())
        + ",\"protocolVersion\":" + Json.quote(info.protocolVersion())
        + ",\"agentVersion\":" + Json.quote(info.agentVersion())
        + ",\"publicKeyType\":" + Json.quote(info.publicKey().type().name())
        + ",\"listenAddrs\":" + array(info.listenAddresses().stream().map(Object::toString).toList())
        + ",\"observedAddr\":" + (info.observedAddress() == null ? "null" : Json.quote(info.observedAddress().toString()))
        + ",\"protocols\":" + array(info.protocols())
        + ",\"signedPeerRecord\":" + (info.signedPeerRecord() == null ? "null"
            : "{\"seq\":" + info.signedPeerRecord().seq() + ",\"addrs\":"
                + array(info.signedPeerRecord().addresses().stream().map(Object::toString).toList()) + "}")
        + "}";
  }

  private static String array(List<String> values) {
    return values.stream().map(Json::quote).collect(Collectors.joining(",", "[", "]"));
  }
}
