package io.gossipnet.libp2p.interop;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Stream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/** Client side of the echo protocol: writes while it reads, so flow control cannot deadlock. */
final class Echo {
  private Echo() {}

  static byte[] roundTrip(Connection c, byte[] data) throws Exception {
    Stream s = c.newStream(EchoHandler.PROTOCOL).join();
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        for (int off = 0; off < data.length; off += 100_000) {
          s.out().write(data, off, Math.min(100_000, data.length - off));
        }
        s.closeWrite();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Executors.newVirtualThreadPerTaskExecutor());
    byte[] back = s.in().readAllBytes();
    writer.join();
    s.close();
    return back;
  }
}
