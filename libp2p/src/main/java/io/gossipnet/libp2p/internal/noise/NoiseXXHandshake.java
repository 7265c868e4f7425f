package io.gossipnet.libp2p.internal.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Noise_XX_25519_ChaChaPoly_SHA256} handshake state machine with an empty prologue,
 * independent of any transport. Messages: A (initiator: e), B (responder: e, ee, s, es, payload),
 * C (initiator: s, se, payload). After C, {@link #split()} yields the transport cipher states.
 */
public final class NoiseXXHandshake {
  private static final byte[] PROTOCOL_NAME =
      "Noise_XX_25519_ChaChaPoly_SHA256".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] X25519_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");
  private static final int DH_LEN = 32;

  private final boolean initiator;
  private final KeyPair staticKey;
  private final byte[] staticPublic;
  private KeyPair ephemeral;
  private byte[] remoteEphemeral;
  private byte[] remoteStatic;
  private byte[] h;
  private byte[] ck;
  private CipherState k;

  /** A handshake for one side, with our static X25519 key pair. */
  public NoiseXXHandshake(boolean initiator, KeyPair staticKey) {
    this.initiator = initiator;
    this.staticKey = staticKey;
    this.staticPublic = rawPublic(staticKey);
    this.h = PROTOCOL_NAME.clone();
    this.ck = PROTOCOL_NAME.clone();
    mixHash(new byte[0]);
  }

  /** A fresh X25519 key pair. */
  public static KeyPair generateX25519() {
    try {
      return KeyPairGenerator.getInstance("X25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks X25519", e);
    }
  }

  /** The raw 32-byte public key of an X25519 key pair. */
  public static byte[] rawPublic(KeyPair kp) {
    byte[] enc = kp.getPublic().getEncoded();
    return Arrays.copyOfRange(enc, enc.length - DH_LEN, enc.length);
  }

  /** Our static public key (signed in the libp2p handshake payload). */
  public byte[] staticPublic() {
    return staticPublic.clone();
  }

  /** The remote static key, known after B (initiator) or C (responder). */
  public byte[] remoteStatic() {
    return remoteStatic.clone();
  }

  /** Initiator: message A with the given payload (empty for libp2p). */
  public byte[] writeMessageA(byte[] payload) throws GeneralSecurityException {
    check(initiator);
    ephemeral = generateX25519();
    byte[] e = rawPublic(ephemeral);
    mixHash(e);
    return concat(e, encryptAndHash(payload));
  }

  /** Responder: reads message A; returns its payload. */
  public byte[] readMessageA(byte[] msg) throws GeneralSecurityException {
    check(!initiator);
    if (msg.length < DH_LEN) {
      throw new GeneralSecurityException("noise message A shorter than 32 bytes");
    }
    remoteEphemeral = Arrays.copyOf(msg, DH_LEN);
    mixHash(remoteEphemeral);
    return decryptAndHash(Arrays.copyOfRange(msg, DH_LEN, msg.length));
  }

  /** Responder: message B carrying {@code payload}. */
  public byte[] writeMessageB(byte[] payload) throws GeneralSecurityException {
    check(!initiator);
    ephemeral = generateX25519();
    byte[] e = rawPublic(ephemeral);
    mixHash(e);
    mixKey(dh(ephemeral, remoteEphemeral));
    byte[] s = encryptAndHash(staticPublic);
    mixKey(dh(staticKey, remoteEphemeral));
    return concat(concat(e, s), encryptAndHash(payload));
  }

  /** Initiator: reads message B; returns its payload. */
  public byte[] readMessageB(byte[] msg) throws GeneralSecurityException {
    check(initiator);
    if (msg.length < DH_LEN + DH_LEN + CipherState.TAG + CipherState.TAG) {
      throw new GeneralSecurityException("noise message B too short: " + msg.length + " bytes");
    }
    remoteEphemeral = Arrays.copyOf(msg, DH_LEN);
    mixHash(remoteEphemeral);
    mixKey(dh(ephemeral, remoteEphemeral));
    remoteStatic = decryptAndHash(Arrays.copyOfRange(msg, DH_LEN, DH_LEN * 2 + CipherState.TAG));
    mixKey(dh(ephemeral, remoteStatic));
    return decryptAndHash(Arrays.copyOfRange(msg, DH_LEN * 2 + CipherState.TAG, msg.length));
  }

  /** Initiator: message C carrying {@code payload}. */
  public byte[] writeMessageC(byte[] payload) throws GeneralSecurityException {
    check(initiator);
    byte[] s = encryptAndHash(staticPublic);
    mixKey(dh(staticKey, remoteEphemeral));
    return concat(s, encryptAndHash(payload));
  }

  /** Responder: reads message C; returns its payload. */
  public byte[] readMessageC(byte[] msg) throws GeneralSecurityException {
    check(!initiator);
    if (msg.length < DH_LEN + CipherState.TAG + CipherState.TAG) {
      throw new GeneralSecurityException("noise message C too short: " + msg.length + " bytes");
    }
    remoteStatic = decryptAndHash(Arrays.copyOf(msg, DH_LEN + CipherState.TAG));
    mixKey(dh(ephemeral, remoteStatic));
    return decryptAndHash(Arrays.copyOfRange(msg, DH_LEN + CipherState.TAG, msg.length));
  }

  /** The transport cipher states: {@code [send, receive]} for this side. */
  public CipherState[] split() throws GeneralSecurityException {
    byte[][] keys = hkdf(ck, new byte[0]);
    CipherState c1 = new CipherState(keys[0]);
    CipherState c2 = new CipherState(keys[1]);
    return initiator ? new CipherState[] {c1, c2} : new CipherState[] {c2, c1};
  }

  private void check(boolean ok) {
    if (!ok) {
      throw new IllegalStateException("noise message for the wrong role");
    }
  }

  private void mixHash(byte[] data) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(h);
      d.update(data);
      h = d.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void mixKey(byte[] ikm) throws GeneralSecurityException {
    byte[][] out = hkdf(ck, ikm);
    ck = out[0];
    k = new CipherState(out[1]);
  }

  private byte[] encryptAndHash(byte[] plain) throws GeneralSecurityException {
    byte[] c = k == null ? plain : k.encrypt(h, plain);
    mixHash(c);
    return c;
  }

  private byte[] decryptAndHash(byte[] cipherText) throws GeneralSecurityException {
    byte[] p = k == null ? cipherText : k.decrypt(h, cipherText);
    mixHash(cipherText);
    return p;
  }

  private static byte[][] hkdf(byte[] chainingKey, byte[] ikm) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(chainingKey, "HmacSHA256"));
    byte[] temp = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(temp, "HmacSHA256"));
    byte[] out1 = mac.doFinal(new byte[] {1});
    mac.update(out1);
    byte[] out2 = mac.doFinal(new byte[] {2});
    return new byte[][] {out1, out2};
  }

  private static byte[] dh(KeyPair local, byte[] remotePublic) throws GeneralSecurityException {
    KeyAgreement ka = KeyAgreement.getInstance("X25519");
    ka.init(local.getPrivate());
    ka.doPhase(KeyFactory.getInstance("X25519")
        .generatePublic(new X509EncodedKeySpec(concat(X25519_PREFIX, remotePublic))), true);
    return ka.generateSecret();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
