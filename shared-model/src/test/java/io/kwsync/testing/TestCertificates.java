package io.kwsync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed TLS identities and truststores for tests, made with the JDK's keytool in a directory under target/.
 * Certificates name 127.0.0.1 and localhost, so clients can keep host name verification on.
 */
public final class TestCertificates {

    /** A PKCS12 keystore with one key pair, its password, and the certificate as PEM. */
    public record Identity(String name, Path keystore, String password, Path certificate) {
    }

    private final Path dir;

    public TestCertificates(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new key pair for CN=name, valid for two days. */
    public Identity identity(String name) {
        String password = name + "-store-pw";
        Path keystore = dir.resolve(name + ".p12");
        Path certificate = dir.resolve(name + ".crt");
        delete(keystore, certificate);
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + name + ",O=kwsync tests", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keystore.toString(), "-storepass", password,
                "-file", certificate.toString());
        return new Identity(name, keystore, password, certificate);
    }

    /** A truststore of the given type (JKS or PKCS12) trusting the identities' certificates. */
    public Path truststore(String name, String type, String password, Identity... trusted) {
        Path store = dir.resolve(name + "." + type.toLowerCase());
        delete(store);
        for (Identity id : trusted) {
            keytool("-importcert", "-noprompt", "-alias", id.name(), "-file", id.certificate().toString(),
                    "-keystore", store.toString(), "-storetype", type, "-storepass", password);
        }
        return store;
    }

    private static void delete(Path... files) {
        try {
            for (Path f : files) Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keytool(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
