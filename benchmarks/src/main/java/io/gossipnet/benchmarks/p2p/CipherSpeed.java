package io.gossipnet.benchmarks.p2p;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JDK's ChaCha20-Poly1305 encryption speed on one thread: Noise's cipher, so the ceiling of one
 * libp2p connection whose sender encrypts on one thread. Records of 65519 bytes, Noise's largest
 * plaintext (65535 minus the 16-byte tag).
 */
final class CipherSpeed {
  private static final int RECORD = 65535 - 16;

  private CipherSpeed() {}

  /** Plaintext bytes encrypted per second over about {@code millis} milliseconds (after a warm-up). */
  static double chacha20Poly1305BytesPerSecond(long millis) throws GeneralSecurityException {
    byte[] key = new byte[32];
    byte[] plain = new byte[RECORD];
    byte[] out = new byte[RECORD + 16];
    SecretKeySpec k = new SecretKeySpec(key, "ChaCha20");
    Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
    long nonce = 0;
    run(c, k, plain, out, nonce, 2_000_000_000L / 4); // warm-up: about a quarter of a second at 2 GB/s
    long start = System.nanoTime();
    long bytes = 0;
    while (System.nanoTime() - start < millis * 1_000_000L) {
      nonce = run(c, k, plain, out, nonce, 64L * RECORD);
      bytes += 64L * RECORD;
    }
    return bytes / ((System.nanoTime() - start) / 1e9);
  }

  private static long run(Cipher c, SecretKeySpec k, byte[] plain, byte[] out, long nonce, long bytes)
      throws GeneralSecurityException {
    byte[] iv = new byte[12];
    for (long done = 0; done < bytes; done += RECORD) {
      long n = nonce++;
      for (int i = 0; i < 8; i++) {
        iv[4 + i] = (byte) (n >>> (8 * i));
      }
      c.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(iv));
      c.doFinal(plain, 0, plain.length, out, 0);
    }
    return nonce;
  }
}
