package io.gossipnet.p2p;

import java.io.IOException;
import java.nio.file.Path;

/** The peer key file could not be loaded or saved; the message starts with the file's path. */
public final class PeerKeyException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** An exception about {@code file}: "peer key file &lt;file&gt; &lt;problem&gt;". */
  public PeerKeyException(Path file, String problem) {
    super("peer key file " + file + " " + problem);
    this.file = file;
  }

  /** An exception about {@code file} caused by {@code cause}. */
  public PeerKeyException(Path file, String problem, Throwable cause) {
    super("peer key file " + file + " " + problem, cause);
    this.file = file;
  }

  /** The file concerned. */
  public Path file() {
    return file;
  }
}
