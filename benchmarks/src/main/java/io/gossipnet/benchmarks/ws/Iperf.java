package io.gossipnet.benchmarks.ws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plain TCP on loopback, measured by Debian's iperf3, for scale. */
public final class Iperf {
  private Iperf() {}

  /** Bytes per second received, or -1 if iperf3 is not available. */
  public static double loopbackBytesPerSecond(int seconds) throws InterruptedException {
    int port = WsBench.freePort();
    Process server;
    try {
      server = new ProcessBuilder("iperf3", "-s", "-1", "-p", Integer.toString(port)).redirectErrorStream(true).start();
    } catch (IOException e) {
      return -1;
    }
    try {
      Thread.sleep(300);
      Process client = new ProcessBuilder("iperf3", "-c", "127.0.0.1", "-p", Integer.toString(port), "-t", Integer.toString(seconds), "-J")
          .redirectErrorStream(true).start();
      String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      client.waitFor(seconds + 10L, TimeUnit.SECONDS);
      int i = out.indexOf("\"sum_received\"");
      Matcher m = Pattern.compile("\"bits_per_second\":\\s*([0-9.eE+]+)").matcher(out);
      if (i >= 0 && m.find(i)) {
        return Double.parseDouble(m.group(1)) / 8;
      }
      return -1;
    } catch (IOException e) {
      return -1;
    } finally {
      server.destroy();
      server.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
