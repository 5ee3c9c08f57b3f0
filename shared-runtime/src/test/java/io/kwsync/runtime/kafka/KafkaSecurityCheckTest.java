package io.kwsync.runtime.kafka;

import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaSecurityCheckTest {

    @TempDir
    static Path dir;
    static TestCertificates.Identity broker;
    static Path truststore;
    static Path pem;
    static Path krb5;
    static Path keytab;

    @BeforeAll
    static void files() throws IOException {
        var certs = new TestCertificates(dir);
        broker = certs.identity("broker");
        truststore = certs.truststore("trust", "PKCS12", "trust-pw", broker);
        pem = broker.certificate();
        krb5 = Files.writeString(dir.resolve("krb5.conf"), "[libdefaults]\n default_realm = EXAMPLE.COM\n");
        keytab = Files.write(dir.resolve("client.keytab"), new byte[]{5, 2});
    }

    static List<String> problems(String... keyValues) {
        var c = new InvalidConfigurationException.Collector();
        KafkaSecurityCheck.check(MapSecurityConfig.of(keyValues), c);
        try {
            c.throwIfAny();
            return List.of();
        } catch (InvalidConfigurationException e) {
            return e.problems();
        }
    }

    /** Exactly one problem, starting with the variable and containing the text. */
    static void only(String variable, String text, String... keyValues) {
        List<String> p = problems(keyValues);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith(variable + " ("), p.get(0));
        assertTrue(p.get(0).contains(text), p.get(0));
    }

    @Test
    void validCombinations() {
        assertEquals(List.of(), problems());
        assertEquals(List.of(), problems("security-protocol", "PLAINTEXT"));
        assertEquals(List.of(), problems("security-protocol", "SSL"), "the JVM's CAs when no truststore is given");
        assertEquals(List.of(), problems("security-protocol", "SASL_SSL", "sasl.mechanism", "PLAIN",
                "sasl.username", "u", "sasl.password", "p"));
        assertEquals(List.of(), problems("security-protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.username", "u", "sasl.password", "p"));
        assertEquals(List.of(), problems("security-protocol", "SSL", "ssl.truststore-location", truststore.toString(),
                "ssl.truststore-password", "trust-pw", "ssl.keystore-location", broker.keystore().toString(),
                "ssl.keystore-password", broker.password(), "ssl.keystore-type", "PKCS12"));
        assertEquals(List.of(), problems("security-protocol", "SSL", "ssl.truststore-location", pem.toString(),
                "ssl.truststore-type", "PEM"));
        assertEquals(List.of(), problems("security-protocol", "SASL_SSL", "sasl.mechanism", "GSSAPI",
                "kerberos.krb5-conf", krb5.toString(), "kerberos.keytab", keytab.toString(),
                "kerberos.principal", "kwsync@EXAMPLE.COM"));
        assertEquals(List.of(), problems("security-protocol", "SASL_SSL", "sasl.mechanism", "PLAIN",
                "sasl.jaas-config", Jaas.PLAIN_MODULE + " required username=\"u\" password=\"p\";"));
    }

    @Test
    void settingsThatDoNotFitTheProtocol() {
        only("KWSYNC_KAFKA_SASL_USERNAME", "is set but KWSYNC_KAFKA_SECURITY_PROTOCOL is PLAINTEXT: SASL settings need",
                "sasl.username", "u");
        only("KWSYNC_KAFKA_KERBEROS_PRINCIPAL", "SASL settings need SASL_PLAINTEXT or SASL_SSL",
                "security-protocol", "SSL", "kerberos.principal", "p@R");
        only("KWSYNC_KAFKA_SSL_TRUSTSTORE_LOCATION", "is SASL_PLAINTEXT: TLS settings need SSL or SASL_SSL",
                "security-protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.username", "u",
                "sasl.password", "p", "ssl.truststore-location", truststore.toString());
    }

    @Test
    void saslNeedsAMechanismAndCredentials() {
        only("KWSYNC_KAFKA_SASL_MECHANISM", "is required when KWSYNC_KAFKA_SECURITY_PROTOCOL is SASL_SSL",
                "security-protocol", "SASL_SSL");
        only("KWSYNC_KAFKA_SASL_PASSWORD", "is required with SASL mechanism SCRAM-SHA-256",
                "security-protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-256", "sasl.username", "u");
        only("KWSYNC_KAFKA_SASL_USERNAME", "is required with SASL mechanism PLAIN",
                "security-protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.password", "p");
        only("KWSYNC_KAFKA_SASL_PASSWORD_FILE", "does not exist or cannot be read: /nonexistent/pw",
                "security-protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.username", "u",
                "sasl.password-file", "/nonexistent/pw");
        only("KWSYNC_KAFKA_SASL_JAAS_CONFIG", "are both set",
                "security-protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.username", "u", "sasl.password", "p",
                "sasl.jaas-config", Jaas.PLAIN_MODULE + " required username=\"u\" password=\"p\";");
        only("KWSYNC_KAFKA_KERBEROS_KEYTAB", "is only used with KWSYNC_KAFKA_SASL_MECHANISM GSSAPI, not PLAIN",
                "security-protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.username", "u", "sasl.password", "p",
                "kerberos.keytab", keytab.toString());
    }

    @Test
    void jaasTextIsParsedAsKafkaParsesItAndNeverEchoed() {
        only("KWSYNC_KAFKA_SASL_JAAS_CONFIG", "is not a valid JAAS configuration",
                "security-protocol", "SASL_SSL", "sasl.mechanism", "PLAIN",
                "sasl.jaas-config", Jaas.PLAIN_MODULE + " required username=\"u\" password=\"s3cr3t-value\"");
        List<String> p = problems("security-protocol", "SASL_SSL", "sasl.mechanism", "PLAIN",
                "sasl.jaas-config", Jaas.PLAIN_MODULE + " required username=\"u\" password=\"s3cr3t-value\"");
        assertFalse(p.toString().contains("s3cr3t"), "a JAAS problem never repeats the text");
        only("KWSYNC_KAFKA_SASL_JAAS_CONFIG", "names login module " + Jaas.PLAIN_MODULE + " but SASL mechanism SCRAM-SHA-512 needs "
                        + Jaas.SCRAM_MODULE,
                "security-protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas-config", Jaas.PLAIN_MODULE + " required username=\"u\" password=\"p\";");
    }

    @Test
    void gssapiNeedsKrb5ConfAndAKeytabLogin() {
        List<String> p = problems("security-protocol", "SASL_PLAINTEXT", "sasl.mechanism", "GSSAPI");
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("KWSYNC_KAFKA_KERBEROS_KRB5_CONF (kwsync.kafka.kerberos.krb5-conf) is required with SASL mechanism GSSAPI"), p.get(0));
        assertTrue(p.get(1).startsWith("KWSYNC_KAFKA_KERBEROS_KEYTAB"), p.get(1));
        assertTrue(p.get(1).contains("unless KWSYNC_KAFKA_SASL_JAAS_CONFIG_FILE holds a JAAS configuration"), p.get(1));
        assertTrue(p.get(2).startsWith("KWSYNC_KAFKA_KERBEROS_PRINCIPAL"), p.get(2));

        only("KWSYNC_KAFKA_KERBEROS_KRB5_CONF", "does not exist or cannot be read: /etc/nonexistent-krb5.conf",
                "security-protocol", "SASL_SSL", "sasl.mechanism", "GSSAPI", "kerberos.krb5-conf", "/etc/nonexistent-krb5.conf",
                "kerberos.keytab", keytab.toString(), "kerberos.principal", "kwsync@EXAMPLE.COM");
        only("KWSYNC_KAFKA_KERBEROS_KEYTAB", "is not a keytab file (check it with klist -ket)",
                "security-protocol", "SASL_SSL", "sasl.mechanism", "GSSAPI", "kerberos.krb5-conf", krb5.toString(),
                "kerberos.keytab", krb5.toString(), "kerberos.principal", "kwsync@EXAMPLE.COM");
        only("KWSYNC_KAFKA_SASL_USERNAME", "is not used with GSSAPI",
                "security-protocol", "SASL_SSL", "sasl.mechanism", "GSSAPI", "kerberos.krb5-conf", krb5.toString(),
                "kerberos.keytab", keytab.toString(), "kerberos.principal", "kwsync@EXAMPLE.COM", "sasl.username", "u");
    }

    @Test
    void gssapiWithTheSpecsJaasFileChecksTheKeytabItNames() throws IOException {
        Path jaas = Files.writeString(dir.resolve("kafka_client_jaas.conf"), """
                KafkaClient {
                com.sun.security.auth.module.Krb5LoginModule required
                useKeyTab=true
                keyTab="%s"
                storeKey=true
                serviceName="kafka-server"
                principal="kwsync@EXAMPLE.COM";
                };
                """.formatted(dir.resolve("missing.keytab")));
        only("KWSYNC_KAFKA_SASL_JAAS_CONFIG_FILE", "names keyTab " + dir.resolve("missing.keytab") + ", which does not exist",
                "security-protocol", "SASL_SSL", "sasl.mechanism", "GSSAPI", "kerberos.krb5-conf", krb5.toString(),
                "sasl.jaas-config-file", jaas.toString());
        Path other = Files.writeString(dir.resolve("server_jaas.conf"), "KafkaServer {\n" + Jaas.PLAIN_MODULE + " required;\n};\n");
        only("KWSYNC_KAFKA_SASL_JAAS_CONFIG_FILE", "without a single 'KafkaClient { ... };' section",
                "security-protocol", "SASL_SSL", "sasl.mechanism", "GSSAPI", "kerberos.krb5-conf", krb5.toString(),
                "sasl.jaas-config-file", other.toString());
    }

    @Test
    void storesMustOpenWithTheirPasswords() throws IOException {
        only("KWSYNC_KAFKA_SSL_TRUSTSTORE_PASSWORD", "does not open " + truststore + " (wrong password; set it or KWSYNC_KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE)",
                "security-protocol", "SSL", "ssl.truststore-location", truststore.toString(), "ssl.truststore-password", "wrong");
        Path garbage = Files.writeString(dir.resolve("garbage.jks"), "not a keystore");
        only("KWSYNC_KAFKA_SSL_TRUSTSTORE_LOCATION", "cannot be read as a JKS store",
                "security-protocol", "SSL", "ssl.truststore-location", garbage.toString(), "ssl.truststore-password", "x");
        only("KWSYNC_KAFKA_SSL_TRUSTSTORE_LOCATION", "does not exist or cannot be read: /nonexistent/trust.p12",
                "security-protocol", "SSL", "ssl.truststore-location", "/nonexistent/trust.p12");
        only("KWSYNC_KAFKA_SSL_TRUSTSTORE_PASSWORD", "must not be set for a PEM truststore",
                "security-protocol", "SSL", "ssl.truststore-location", pem.toString(), "ssl.truststore-type", "PEM",
                "ssl.truststore-password", "x");
        only("KWSYNC_KAFKA_SSL_TRUSTSTORE_LOCATION", "holds no '-----BEGIN CERTIFICATE-----' block",
                "security-protocol", "SSL", "ssl.truststore-location", garbage.toString(), "ssl.truststore-type", "PEM");
        only("KWSYNC_KAFKA_SSL_TRUSTSTORE_PASSWORD", "is set without KWSYNC_KAFKA_SSL_TRUSTSTORE_LOCATION",
                "security-protocol", "SSL", "ssl.truststore-password", "x");
        only("KWSYNC_KAFKA_SSL_KEYSTORE_PASSWORD", "is required with KWSYNC_KAFKA_SSL_KEYSTORE_LOCATION",
                "security-protocol", "SSL", "ssl.keystore-location", broker.keystore().toString());
        only("KWSYNC_KAFKA_SSL_KEY_PASSWORD", "is set without KWSYNC_KAFKA_SSL_KEYSTORE_LOCATION",
                "security-protocol", "SSL", "ssl.key-password", "x");
        Path pwFile = Files.writeString(dir.resolve("keystore.pw"), broker.password() + "\n");
        assertEquals(List.of(), problems("security-protocol", "SSL", "ssl.keystore-location", broker.keystore().toString(),
                "ssl.keystore-password-file", pwFile.toString()), "the password file's first line opens the store");
    }
}
