package io.gossipnet.ws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/** Loads a PEM certificate chain and PKCS#8 private key (the seed's TLSCertFile/TLSKeyFile) into a key store. */
final class PemKeys {
  static final String PASSWORD = "gossipnet";

  private PemKeys() {}

  static KeyStore keyStore(Path certFile, Path keyFile) throws IOException {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Collection<? extends Certificate> chain;
      try (var in = Files.newInputStream(certFile)) {
        chain = cf.generateCertificates(in);
      }
      if (chain.isEmpty()) {
        throw new IOException("no certificate in " + certFile);
      }
      String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
      if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
        throw new IOException(keyFile + " is not a PEM PKCS#8 private key (BEGIN PRIVATE KEY)");
      }
      String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      byte[] der = Base64.getDecoder().decode(b64);
      PrivateKey key = null;
      for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
        try {
          key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
          break;
        } catch (GeneralSecurityException e) {
          // try the next algorithm
        }
      }
      if (key == null) {
        throw new IOException("unsupported private key in " + keyFile);
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("gossipnet", key, PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
      return ks;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("cannot load TLS certificate " + certFile + " and key " + keyFile + ": " + e.getMessage(), e);
    }
  }

}
