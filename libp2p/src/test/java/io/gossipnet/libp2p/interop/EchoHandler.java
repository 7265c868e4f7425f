package io.gossipnet.libp2p.interop;

import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.StreamHandler;
import java.io.IOException;

/** The custom echo protocol of the tests: everything read is written back, then half-close. */
final class EchoHandler implements StreamHandler {
  static final String PROTOCOL = "/gossipnet/echo/1.0.0";

  @Override
  public void handle(Stream stream) throws IOException {
    stream.in().transferTo(stream.out());
    stream.closeWrite();
  }
}
