package io.kwsync.ingest.format;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The TLS trust of the schema-registry client built from a trust store file (KWSYNC_SCHEMA_REGISTRY_TRUSTSTORE_*), with
 * the same types as the Kafka connection's trust store: JKS (which also reads PKCS12 files), PKCS12, or PEM (X.509
 * certificates in a text file, no password). Only the certificates in the file are trusted, not the JVM's CAs as well:
 * a private registry's CA is what the file is for, and trusting more than asked would be a surprise.
 */
public final class RegistryTrust {

    /** The types a trust store may have. */
    public static final List<String> TYPES = List.of("JKS", "PKCS12", "PEM");

    private RegistryTrust() {
    }

    /**
     * @param password null for none (PEM never has one)
     * @throws IllegalArgumentException with a reason a user can act on: the file cannot be read, the password is wrong,
     *                                  it holds no certificate
     */
    public static SSLContext context(Path file, String type, String password) {
        String t = type.trim().toUpperCase(Locale.ROOT);
        if (!TYPES.contains(t)) throw new IllegalArgumentException("'" + type + "' is not a trust store type: use JKS, PKCS12 or PEM");
        try {
            KeyStore store = t.equals("PEM") ? pem(file) : load(file, t, password);
            if (store.size() == 0) throw new IllegalArgumentException("trust store " + file + " holds no certificate");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException e) {
            // KeyStore.load reports a wrong password as an IOException caused by an UnrecoverableKeyException
            throw new IllegalArgumentException("trust store " + file + " cannot be read as " + t
                    + (e.getCause() instanceof UnrecoverableKeyException ? " (wrong password?)" : "")
                    + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("trust store " + file + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, String type, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }

    private static KeyStore pem(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        int i = 0;
        for (Certificate c : certificates) store.setCertificateEntry("ca-" + i++, c);
        return store;
    }
}
