package io.gossipnet.p2p;

import io.gossipnet.libp2p.crypto.PrivateKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * The node's libp2p private key on disk (seed: {@code p2p/peerID.go}): a PEM block {@code PRIVATE
 * KEY} holding the PKCS#8 encoding of the Ed25519 key, byte for byte what Go's {@code
 * x509.MarshalPKCS8PrivateKey} writes (48 bytes of DER: version 0, algorithm OID 1.3.101.112
 * without parameters, an octet string wrapping the 32-byte seed), in a file of mode 0600.
 *
 * <p>{@link #obtain} chooses the key as the seed's {@code GetPrivKey} does. Saving is atomic: a
 * temporary file in the same directory, created with mode 0600, written, forced to disk, then
 * moved over the target (and the directory forced). Loading refuses a file larger than
 * {@value #MAX_FILE_SIZE} bytes, a file that group or others may read or write (on a POSIX file
 * system; elsewhere the mode is not checked), and anything but one Ed25519 key in the form above;
 * each error names the file.
 */
public final class PeerKeyFile {
  /** The key's file name inside the data directory: the seed's {@code DefaultPrivKeyPath}. */
  public static final String DEFAULT_FILE_NAME = "peerIDPrivKey.key";

  /** The PEM block type. */
  public static final String PEM_TYPE = "PRIVATE KEY";

  /** Largest key file read: a PEM of one Ed25519 key is about 120 bytes. */
  public static final int MAX_FILE_SIZE = 16 * 1024;

  /** The 16 DER bytes before the seed: SEQUENCE, INTEGER 0, AlgorithmIdentifier(Ed25519), OCTET STRING(OCTET STRING(32)). */
  private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

  private static final int SEED_LENGTH = 32;
  private static final String BEGIN = "-----BEGIN " + PEM_TYPE + "-----";
  private static final String END = "-----END " + PEM_TYPE + "-----";
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = Set.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private PeerKeyFile() {}

  /**
   * The seed's {@code GetPrivKey}: the key at {@code explicitLocation} if one is given (the file
   * must exist); else the one at {@code <dataDir>/}{@value #DEFAULT_FILE_NAME} if that file exists;
   * else a new key, saved to that default path only when {@code persist} is true.
   *
   * @param explicitLocation the configured key file ({@code P2PPrivateKeyLocation}), or null
   * @param dataDir the node's data directory, or null for none (then no default file is read or
   *     written, as the seed does with an empty data directory)
   * @param persist whether a generated key is saved ({@code P2PPersistPeerID})
   * @throws PeerKeyException if a file cannot be read, is corrupt or too widely readable, or the
   *     new key cannot be saved
   */
  public static PrivateKey obtain(Path explicitLocation, Path dataDir, boolean persist) throws PeerKeyException {
    if (explicitLocation != null) {
      return load(explicitLocation);
    }
    Path defaultPath = dataDir == null ? null : dataDir.resolve(DEFAULT_FILE_NAME);
    if (defaultPath != null && Files.exists(defaultPath)) {
      return load(defaultPath);
    }
    PrivateKey key = PrivateKey.generate();
    if (persist && defaultPath != null) {
      save(defaultPath, key);
    }
    return key;
  }

  /**
   * Loads the key in {@code file}.
   *
   * @throws PeerKeyException naming the file if it is missing, unreadable, larger than {@value
   *     #MAX_FILE_SIZE} bytes, accessible to group or others, or not one PEM-encoded PKCS#8
   *     Ed25519 key
   */
  public static PrivateKey load(Path file) throws PeerKeyException {
    byte[] content;
    try {
      checkMode(file);
      try (InputStream in = Files.newInputStream(file)) {
        content = in.readNBytes(MAX_FILE_SIZE + 1);
      }
    } catch (PeerKeyException e) {
      throw e;
    } catch (NoSuchFileException e) {
      throw new PeerKeyException(file, "does not exist", e);
    } catch (IOException e) {
      throw new PeerKeyException(file, "cannot be read: " + e.getMessage(), e);
    }
    if (content.length > MAX_FILE_SIZE) {
      throw new PeerKeyException(file, "is larger than " + MAX_FILE_SIZE + " bytes; not a key file");
    }
    try {
      return decodePem(new String(content, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new PeerKeyException(file, "is corrupt: " + e.getMessage(), e);
    }
  }

  /**
   * Saves {@code key} to {@code file} atomically with mode 0600 (on a POSIX file system),
   * replacing any file there.
   *
   * @throws PeerKeyException naming the file if it cannot be written
   */
  public static void save(Path file, PrivateKey key) throws PeerKeyException {
    Path dir = file.toAbsolutePath().getParent();
    byte[] pem = encodePem(key).getBytes(StandardCharsets.US_ASCII);
    Path tmp = null;
    try {
      boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
      FileAttribute<?>[] attrs = posix
          ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
          : new FileAttribute<?>[0];
      tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", attrs);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = ByteBuffer.wrap(pem);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      forceDirectory(dir);
    } catch (IOException e) {
      throw new PeerKeyException(file, "cannot be written: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the save already failed; a stray temporary file is the lesser problem
        }
      }
    }
  }

  /** The PEM text Go's {@code pem.Encode} writes for the key: one block, base64 lines of 64. */
  public static String encodePem(PrivateKey key) {
    String b64 = Base64.getEncoder().encodeToString(encodePkcs8(key));
    StringBuilder s = new StringBuilder(BEGIN).append('\n');
    for (int i = 0; i < b64.length(); i += 64) {
      s.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    return s.append(END).append('\n').toString();
  }

  /**
   * Decodes the first {@code PRIVATE KEY} PEM block of {@code text} (text around it is ignored, as
   * Go's {@code pem.Decode} does; PEM headers are not accepted).
   *
   * @throws IllegalArgumentException if there is no such block or it does not hold a PKCS#8
   *     Ed25519 key
   */
  public static PrivateKey decodePem(String text) {
    int begin = text.indexOf(BEGIN);
    if (begin < 0) {
      throw new IllegalArgumentException("no \"" + BEGIN + "\" line");
    }
    int bodyStart = begin + BEGIN.length();
    int end = text.indexOf(END, bodyStart);
    if (end < 0) {
      throw new IllegalArgumentException("no \"" + END + "\" line");
    }
    String body = text.substring(bodyStart, end).replaceAll("[ \t\r\n]", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM body is not base64", e);
    }
    return decodePkcs8(der);
  }

  /** The 48-byte PKCS#8 DER of the key, as Go's {@code x509.MarshalPKCS8PrivateKey} makes it. */
  public static byte[] encodePkcs8(PrivateKey key) {
    byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + SEED_LENGTH);
    System.arraycopy(seedOf(key), 0, der, PKCS8_PREFIX.length, SEED_LENGTH);
    return der;
  }

  /**
   * Decodes the 48-byte PKCS#8 DER of an Ed25519 key (version 0, no attributes, no public key:
   * what Go, OpenSSL and the JDK write).
   *
   * @throws IllegalArgumentException for anything else, saying what was found
   */
  public static PrivateKey decodePkcs8(byte[] der) {
    if (der.length != PKCS8_PREFIX.length + SEED_LENGTH) {
      throw new IllegalArgumentException("PKCS#8 Ed25519 key is " + (PKCS8_PREFIX.length + SEED_LENGTH)
          + " bytes of DER, got " + der.length);
    }
    if (!Arrays.equals(der, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0, PKCS8_PREFIX.length)) {
      throw new IllegalArgumentException("not a PKCS#8 Ed25519 (OID 1.3.101.112) private key");
    }
    return PrivateKey.fromSeed(Arrays.copyOfRange(der, PKCS8_PREFIX.length, der.length));
  }

  /**
   * The key's 32-byte seed. The libp2p {@link PrivateKey} exposes it only through its protobuf
   * form {@code {1: Ed25519, 2: seed ‖ public key}}, whose first 4 bytes are fixed.
   */
  private static byte[] seedOf(PrivateKey key) {
    byte[] pb = key.toProtobuf();
    if (pb.length != 4 + 2 * SEED_LENGTH || pb[0] != 0x08 || pb[1] != 0x01 || pb[2] != 0x12 || pb[3] != 0x40) {
      throw new IllegalStateException("unexpected protobuf form of an Ed25519 key");
    }
    return Arrays.copyOfRange(pb, 4, 4 + SEED_LENGTH);
  }

  private static void checkMode(Path file) throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    if (perms.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
      throw new PeerKeyException(file, "has mode " + PosixFilePermissions.toString(perms)
          + ": group and others must have no access (chmod 600)");
    }
  }

  /** Makes the rename durable; not every platform can open a directory, and then it is skipped. */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // best effort: the file itself was forced before the move
    }
  }
}
