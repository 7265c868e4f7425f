package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.gossipnet.libp2p.crypto.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer key file: Go's PEM/PKCS#8 form byte for byte, the seed's choice of key, and safe files. */
class PeerKeyFileTest {
  private static final HexFormat HEX = HexFormat.of();

  /** RFC 8032 section 7.1, test 1. */
  private static final byte[] RFC8032_SEED =
      HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final byte[] RFC8032_PUBLIC =
      HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

  /** The private key example of RFC 8410 section 10.3, and its public key from section 10.1. */
  private static final String RFC8410_PEM = """
      -----BEGIN PRIVATE KEY-----
      MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
      -----END PRIVATE KEY-----
      """;
  private static final byte[] RFC8410_PUBLIC =
      HEX.parseHex("19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1");

  @TempDir Path dir;

  @Test
  void pkcs8IsThe48ByteDerGoWritesForEd25519() {
    byte[] der = PeerKeyFile.encodePkcs8(PrivateKey.fromSeed(RFC8032_SEED));
    // SEQUENCE(46) { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING(32) seed } }
    assertThat(HEX.formatHex(der)).isEqualTo("302e020100300506032b657004220420"
        + "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    assertThat(der).hasSize(48);
  }

  @Test
  void pemIsWhatGosPemEncodeWrites() {
    assertThat(PeerKeyFile.encodePem(PrivateKey.fromSeed(RFC8032_SEED))).isEqualTo("""
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
        -----END PRIVATE KEY-----
        """);
  }

  @Test
  void theRfc8410ExampleDecodesToItsPublishedPublicKey() {
    PrivateKey key = PeerKeyFile.decodePem(RFC8410_PEM);
    assertThat(key.publicKey().data()).isEqualTo(RFC8410_PUBLIC);
    assertThat(PeerKeyFile.encodePem(key)).isEqualTo(RFC8410_PEM);
  }

  @Test
  void theJdkReadsOurEncodingAndWeReadTheJdks() throws Exception {
    KeyFactory kf = KeyFactory.getInstance("Ed25519");
    EdECPrivateKey jdk = (EdECPrivateKey) kf.generatePrivate(
        new PKCS8EncodedKeySpec(PeerKeyFile.encodePkcs8(PrivateKey.fromSeed(RFC8032_SEED))));
    assertThat(jdk.getBytes().orElseThrow()).isEqualTo(RFC8032_SEED);

    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    PrivateKey ours = PeerKeyFile.decodePkcs8(pair.getPrivate().getEncoded());
    assertThat(PeerKeyFile.encodePkcs8(ours)).isEqualTo(pair.getPrivate().getEncoded());
    byte[] message = "peer key".getBytes(StandardCharsets.US_ASCII);
    Signature verify = Signature.getInstance("Ed25519");
    verify.initVerify(pair.getPublic());
    verify.update(message);
    assertThat(verify.verify(ours.sign(message))).isTrue();
  }

  @Test
  void theDecodedKeyIsTheRfc8032Key() {
    PrivateKey key = PeerKeyFile.decodePkcs8(PeerKeyFile.encodePkcs8(PrivateKey.fromSeed(RFC8032_SEED)));
    assertThat(key.publicKey().data()).isEqualTo(RFC8032_PUBLIC);
  }

  @Test
  void pemDecodingSkipsSurroundingTextAndLineBreaksAsGoDoes() {
    String wrapped = "comment\r\n-----BEGIN PRIVATE KEY-----\r\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bb\r\n"
        + "Y8fdp+K06/nwoy/HU++CXqI9EdVhC\r\n-----END PRIVATE KEY-----\r\ntrailer";
    assertThat(PeerKeyFile.decodePem(wrapped).publicKey().data()).isEqualTo(RFC8410_PUBLIC);
  }

  @Test
  void anythingButAPkcs8Ed25519KeyIsRefused() {
    assertThatThrownBy(() -> PeerKeyFile.decodePem("no pem here")).hasMessageContaining("BEGIN PRIVATE KEY");
    assertThatThrownBy(() -> PeerKeyFile.decodePem("-----BEGIN PRIVATE KEY-----\nMC4=\n"))
        .hasMessageContaining("END PRIVATE KEY");
    assertThatThrownBy(() -> PeerKeyFile.decodePem("-----BEGIN PRIVATE KEY-----\n%%%\n-----END PRIVATE KEY-----"))
        .hasMessageContaining("base64");
    // X25519 (OID 1.3.101.110) has the same shape with another OID
    byte[] x25519 = HEX.parseHex("302e020100300506032b656e04220420" + "00".repeat(32));
    assertThatThrownBy(() -> PeerKeyFile.decodePkcs8(x25519)).hasMessageContaining("1.3.101.112");
    assertThatThrownBy(() -> PeerKeyFile.decodePkcs8(new byte[47])).hasMessageContaining("48 bytes");
  }

  @Test
  void aSavedKeyLoadsBackWithMode0600AndNoTemporaryFileLeft() throws Exception {
    Path file = dir.resolve(PeerKeyFile.DEFAULT_FILE_NAME);
    PrivateKey key = PrivateKey.generate();
    PeerKeyFile.save(file, key);
    assertThat(PeerKeyFile.load(file).peerId()).isEqualTo(key.peerId());
    assertThat(Files.readString(file)).isEqualTo(PeerKeyFile.encodePem(key));
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
    if (posix()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
  }

  @Test
  void savingReplacesAnExistingKey() throws Exception {
    Path file = dir.resolve("key.pem");
    PeerKeyFile.save(file, PrivateKey.generate());
    PrivateKey second = PrivateKey.generate();
    PeerKeyFile.save(file, second);
    assertThat(PeerKeyFile.load(file).peerId()).isEqualTo(second.peerId());
  }

  @Test
  void aFileOthersCanReadIsRefusedNamingTheFile() throws Exception {
    assumeThat(posix()).as("POSIX file system").isTrue();
    Path file = dir.resolve("open.key");
    PeerKeyFile.save(file, PrivateKey.generate());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> PeerKeyFile.load(file))
        .isInstanceOf(PeerKeyException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("rw-r--r--")
        .hasMessageContaining("chmod 600");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw----r--"));
    assertThatThrownBy(() -> PeerKeyFile.load(file)).hasMessageContaining("group and others");
  }

  @Test
  void aCorruptFileIsRefusedNamingTheFile() throws Exception {
    Path file = dir.resolve("corrupt.key");
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    restrict(file);
    assertThatThrownBy(() -> PeerKeyFile.load(file))
        .isInstanceOf(PeerKeyException.class)
        .hasMessageStartingWith("peer key file " + file + " is corrupt")
        .hasMessageContaining("48 bytes");
    assertThat(((PeerKeyException) catching(() -> PeerKeyFile.load(file))).file()).isEqualTo(file);
  }

  @Test
  void anOversizedFileIsRefusedWithoutReadingItAll() throws Exception {
    Path file = dir.resolve("big.key");
    Files.write(file, new byte[PeerKeyFile.MAX_FILE_SIZE + 1]);
    restrict(file);
    assertThatThrownBy(() -> PeerKeyFile.load(file)).hasMessageContaining("larger than");
  }

  @Test
  void anExplicitLocationMustExist() {
    Path missing = dir.resolve("missing.key");
    assertThatThrownBy(() -> PeerKeyFile.obtain(missing, dir, true))
        .isInstanceOf(PeerKeyException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
    assertThat(dir.resolve(PeerKeyFile.DEFAULT_FILE_NAME)).doesNotExist();
  }

  @Test
  void anExplicitLocationWinsOverTheDefaultFile() throws Exception {
    Path explicit = dir.resolve("explicit.key");
    PrivateKey wanted = PrivateKey.generate();
    PeerKeyFile.save(explicit, wanted);
    PeerKeyFile.save(dir.resolve(PeerKeyFile.DEFAULT_FILE_NAME), PrivateKey.generate());
    assertThat(PeerKeyFile.obtain(explicit, dir, false).peerId()).isEqualTo(wanted.peerId());
  }

  @Test
  void theDefaultFileInTheDataDirectoryIsUsedWhenPresent() throws Exception {
    PrivateKey stored = PrivateKey.generate();
    PeerKeyFile.save(dir.resolve(PeerKeyFile.DEFAULT_FILE_NAME), stored);
    assertThat(PeerKeyFile.obtain(null, dir, false).peerId()).isEqualTo(stored.peerId());
  }

  @Test
  void aNewKeyIsPersistedOnlyWhenAsked() throws Exception {
    Path defaultFile = dir.resolve(PeerKeyFile.DEFAULT_FILE_NAME);
    PrivateKey ephemeral = PeerKeyFile.obtain(null, dir, false);
    assertThat(defaultFile).doesNotExist();

    PrivateKey persisted = PeerKeyFile.obtain(null, dir, true);
    assertThat(persisted.peerId()).isNotEqualTo(ephemeral.peerId());
    assertThat(PeerKeyFile.load(defaultFile).peerId()).isEqualTo(persisted.peerId());
    assertThat(PeerKeyFile.obtain(null, dir, true).peerId()).isEqualTo(persisted.peerId());
  }

  @Test
  void withoutADataDirectoryNothingIsReadOrWritten() throws Exception {
    assertThat(PeerKeyFile.obtain(null, null, true)).isNotNull();
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  private boolean posix() {
    return Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
  }

  private void restrict(Path file) throws Exception {
    if (posix()) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }

  private interface Action {
    Object run() throws Exception;
  }

  private static Throwable catching(Action a) {
    try {
      a.run();
      return null;
    } catch (Exception e) {
      return e;
    }
  }
}
