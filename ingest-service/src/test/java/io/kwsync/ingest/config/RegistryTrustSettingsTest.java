package io.kwsync.ingest.config;

import io.kwsync.ingest.format.RegistryUnavailableException;
import io.kwsync.ingest.format.SchemaRegistryClient;
import io.kwsync.ingest.format.TestRegistry;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KWSYNC_SCHEMA_REGISTRY_TRUSTSTORE_*: the client built from the settings reaches a registry over TLS whose certificate
 * only the given trust store vouches for (JKS with a password file, PKCS12, PEM), and a trust store that cannot work
 * stops the start naming the variable, never showing the password.
 */
class RegistryTrustSettingsTest {

    static Map<String, String> avro(String url) {
        Map<String, String> p = new HashMap<>();
        p.put("kwsync.value.format", "avro");
        p.put("kwsync.schema-registry.url", url);
        p.put("kwsync.schema-registry.connect-timeout", "5s");
        p.put("kwsync.schema-registry.request-timeout", "5s");
        return p;
    }

    /** A client from the settings reaches the registry: an unknown id is the registry's 404, not a TLS failure. */
    static void reaches(FormatSettings s) {
        assertNotNull(s, "settings expected");
        SchemaRegistryClient client = s.client();
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> client.byId(987654));
        assertTrue(e.getMessage().contains("answered 404"), "reached over TLS: " + e.getMessage());
    }

    @Test
    void theTrustStoreOfTheSettingsIsTheOneTheClientTrusts(@TempDir Path dir) throws Exception {
        TestCertificates certs = new TestCertificates(dir);
        TestCertificates.Identity server = certs.identity("registry");
        Path serverPassword = Files.writeString(dir.resolve("server-pw"), server.password() + "\n");
        try (TestRegistry.Private registry = TestRegistry.start("--tls-keystore", server.keystore().toString(),
                "--tls-password-file", serverPassword.toString())) {
            Map<String, String> none = avro(registry.url());
            FormatSettings jvm = FormatSettingsTest.read(none);
            assertThrows(RegistryUnavailableException.class, () -> jvm.client().byId(987654),
                    "without the trust store the JVM's CAs refuse the certificate");

            Path jks = certs.truststore("trust", "JKS", "trust-pw", server);
            Path pwFile = Files.writeString(dir.resolve("trust-pw"), "trust-pw\n");
            Map<String, String> withJks = avro(registry.url());
            withJks.put("kwsync.schema-registry.truststore-location", jks.toString());
            withJks.put("kwsync.schema-registry.truststore-password-file", pwFile.toString());
            reaches(FormatSettingsTest.read(withJks));

            Path p12 = certs.truststore("trust12", "PKCS12", "p12-pw", server);
            Map<String, String> withP12 = avro(registry.url());
            withP12.put("kwsync.schema-registry.truststore-location", p12.toString());
            withP12.put("kwsync.schema-registry.truststore-password", "p12-pw");
            withP12.put("kwsync.schema-registry.truststore-type", "pkcs12");
            reaches(FormatSettingsTest.read(withP12));

            Map<String, String> withPem = avro(registry.url());
            withPem.put("kwsync.schema-registry.truststore-location", server.certificate().toString());
            withPem.put("kwsync.schema-registry.truststore-type", "PEM");
            reaches(FormatSettingsTest.read(withPem));

            TestCertificates.Identity other = certs.identity("other");
            Map<String, String> wrongCa = avro(registry.url());
            wrongCa.put("kwsync.schema-registry.truststore-location", other.certificate().toString());
            wrongCa.put("kwsync.schema-registry.truststore-type", "PEM");
            FormatSettings wrong = FormatSettingsTest.read(wrongCa);
            assertThrows(RegistryUnavailableException.class, () -> wrong.client().byId(987654),
                    "a trust store of another CA trusts only that CA, not the JVM's as well");
        }
    }

    static String problem(Map<String, String> properties) {
        String m = FormatSettingsTest.problem(properties);
        assertTrue(m.contains("KWSYNC_SCHEMA_REGISTRY_TRUSTSTORE"), m);
        return m;
    }

    @Test
    void aTrustStoreThatCannotWorkStopsTheStart(@TempDir Path dir) throws Exception {
        TestCertificates certs = new TestCertificates(dir);
        Path jks = certs.truststore("trust", "JKS", "right-pw", certs.identity("registry"));

        Map<String, String> http = avro("http://127.0.0.1:1");
        http.put("kwsync.schema-registry.truststore-location", jks.toString());
        assertTrue(problem(http).contains("no KWSYNC_SCHEMA_REGISTRY_URL is https"));

        Map<String, String> missing = avro("https://127.0.0.1:1");
        missing.put("kwsync.schema-registry.truststore-location", dir.resolve("nope.jks").toString());
        assertTrue(problem(missing).contains("does not exist"));

        Map<String, String> wrongPassword = avro("https://127.0.0.1:1");
        wrongPassword.put("kwsync.schema-registry.truststore-location", jks.toString());
        wrongPassword.put("kwsync.schema-registry.truststore-password", "wrong-pw");
        String m = problem(wrongPassword);
        assertTrue(m.contains("cannot be read as JKS"), m);
        assertFalse(m.contains("wrong-pw"), "the password is never shown");

        Map<String, String> type = avro("https://127.0.0.1:1");
        type.put("kwsync.schema-registry.truststore-location", jks.toString());
        type.put("kwsync.schema-registry.truststore-type", "p7b");
        assertTrue(problem(type).contains("KWSYNC_SCHEMA_REGISTRY_TRUSTSTORE_TYPE"));

        Map<String, String> notPem = avro("https://127.0.0.1:1");
        notPem.put("kwsync.schema-registry.truststore-location", Files.writeString(dir.resolve("x.pem"), "not a cert").toString());
        notPem.put("kwsync.schema-registry.truststore-type", "PEM");
        problem(notPem);
    }

    @Test
    void withoutATrustStoreTheJvmTrustApplies() {
        FormatSettings s = FormatSettingsTest.read(avro("https://127.0.0.1:1"));
        assertNull(s.registry().orElseThrow().ssl());
    }
}
