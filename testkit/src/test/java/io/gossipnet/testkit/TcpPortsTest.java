package io.gossipnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TcpPortsTest {
  @Test
  void portsAreFoundInUrlsHostPortsAndMultiaddrs() {
    assertThat(GossipNodeContract.tcpPorts(List.of(
        "http://127.0.0.1:4160", "127.0.0.1:4161", "https://[::1]:4162/", "/ip4/127.0.0.1/tcp/4190/p2p/12D3KooWabc", "mem://relay-1")))
        .containsExactly(4160, 4161, 4162, 4190);
  }

  @Test
  void threadNamesComeFromTheJsonDumpVirtualThreadsIncluded() throws Exception {
    Thread v = Thread.ofVirtual().name("gossipnet-test-\"quoted\"/slash").start(() -> {
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        // done
      }
    });
    try {
      assertThat(LiveThreads.named(List.of("gossipnet-test-"))).containsValue("gossipnet-test-\"quoted\"/slash");
    } finally {
      v.interrupt();
      v.join();
    }
  }
}
