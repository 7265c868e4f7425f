package io.gossipnet.node.p2p;

import io.gossipnet.libp2p.crypto.PrivateKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

/**
 * Identity key files: the hex of the libp2p {@code PrivateKey} protobuf (the form js-libp2p
 * prints), created with a fresh key when missing.
 */
final class KeyFiles {
  private KeyFiles() {}

  static PrivateKey loadOrCreate(Path file) throws IOException {
    if (file == null) {
      return PrivateKey.generate();
    }
    if (Files.exists(file)) {
      String hex = Files.readString(file).trim();
      try {
        return PrivateKey.fromProtobuf(HexFormat.of().parseHex(hex));
      } catch (IllegalArgumentException e) {
        throw new IOException("--key " + file + ": not a hex libp2p Ed25519 private key: " + e.getMessage(), e);
      }
    }
    PrivateKey key = PrivateKey.generate();
    Files.writeString(file, HexFormat.of().formatHex(key.toProtobuf()) + "\n", StandardOpenOption.CREATE_NEW);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
    return key;
  }
}
