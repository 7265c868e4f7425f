package io.gossipnet.libp2p.internal.noise;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Noise CipherState for ChaChaPoly: one key, a 64-bit little-endian nonce, one reused JDK cipher. */
public final class CipherState {
  /** Bytes of the Poly1305 tag. */
  public static final int TAG = 16;
  private final SecretKeySpec key;
  private final Cipher cipher;
  private final byte[] iv = new byte[12];
  private long nonce;

  /** A cipher state for a 32-byte key. */
  public CipherState(byte[] key) {
    this.key = new SecretKeySpec(key, "ChaCha20");
    try {
      this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks ChaCha20-Poly1305", e);
    }
  }

  private void init(int mode) throws GeneralSecurityException {
    if (nonce == -1L) {
      throw new GeneralSecurityException("noise nonce exhausted");
    }
    ByteBuffer.wrap(iv).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putLong(nonce++);
    cipher.init(mode, key, new IvParameterSpec(iv));
  }

  /** Encrypts {@code plain} with associated data {@code ad} (may be null). */
  public byte[] encrypt(byte[] ad, byte[] plain) throws GeneralSecurityException {
    init(Cipher.ENCRYPT_MODE);
    if (ad != null) {
      cipher.updateAAD(ad);
    }
    return cipher.doFinal(plain);
  }

  /** Encrypts {@code in} into {@code out} (no associated data). */
  public void encrypt(ByteBuffer in, ByteBuffer out) throws GeneralSecurityException {
    init(Cipher.ENCRYPT_MODE);
    cipher.doFinal(in, out);
  }

  /** Encrypts {@code len} bytes of {@code in} into {@code out} (no associated data); returns the output size. */
  public int encrypt(byte[] in, int inOff, int len, byte[] out, int outOff) throws GeneralSecurityException {
    init(Cipher.ENCRYPT_MODE);
    return cipher.doFinal(in, inOff, len, out, outOff);
  }

  /** Decrypts {@code len} bytes of {@code in} into {@code out} (no associated data); returns the output size. */
  public int decrypt(byte[] in, int inOff, int len, byte[] out, int outOff) throws GeneralSecurityException {
    init(Cipher.DECRYPT_MODE);
    return cipher.doFinal(in, inOff, len, out, outOff);
  }

  /** Decrypts and authenticates {@code cipherText} with associated data {@code ad} (may be null). */
  public byte[] decrypt(byte[] ad, byte[] cipherText) throws GeneralSecurityException {
    init(Cipher.DECRYPT_MODE);
    if (ad != null) {
      cipher.updateAAD(ad);
    }
    return cipher.doFinal(cipherText);
  }

  /** Decrypts {@code in} into {@code out} (no associated data). */
  public void decrypt(ByteBuffer in, ByteBuffer out) throws GeneralSecurityException {
    init(Cipher.DECRYPT_MODE);
    cipher.doFinal(in, out);
  }
}
