package io.kwsync.runtime.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.security.auth.login.AppConfigurationEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaSecurityTest {

    @TempDir
    Path dir;

    static AppConfigurationEntry parsed(Map<String, Object> props) {
        return Jaas.parse((String) props.get("sasl.jaas.config")).orElseThrow();
    }

    @Test
    void plaintextByDefault() {
        assertEquals(Map.of("security.protocol", "PLAINTEXT"), KafkaSecurity.clientProperties(MapSecurityConfig.of()));
        assertEquals(List.of(), KafkaSecurity.warnings(MapSecurityConfig.of()));
    }

    @Test
    void userAndPasswordBecomeALoginModuleThatKafkaParsesBackExactly() throws IOException {
        String password = "p\"a\\ss w;o}rd=ü";
        Path file = Files.writeString(dir.resolve("pw"), password + "\nsecond line ignored\n");
        for (String mechanism : List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")) {
            Map<String, Object> p = KafkaSecurity.clientProperties(MapSecurityConfig.of("security-protocol", "SASL_SSL",
                    "sasl.mechanism", mechanism, "sasl.username", "kw\"sync", "sasl.password-file", file.toString()));
            assertEquals("SASL_SSL", p.get("security.protocol"));
            assertEquals(mechanism, p.get("sasl.mechanism"));
            AppConfigurationEntry e = parsed(p);
            assertEquals(mechanism.equals("PLAIN") ? Jaas.PLAIN_MODULE : Jaas.SCRAM_MODULE, e.getLoginModuleName());
            assertEquals(AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, e.getControlFlag());
            assertEquals(Map.of("username", "kw\"sync", "password", password), e.getOptions());
            assertEquals("https", p.get("ssl.endpoint.identification.algorithm"));
        }
    }

    @Test
    void theSpecsJaasFileFormatIsAccepted() throws IOException {
        Path file = Files.writeString(dir.resolve("jaas.conf"), """
                KafkaClient {
                org.apache.kafka.common.security.plain.PlainLoginModule required
                username="kwsync-client"
                password="kwsync-client-secret";
                };
                """);
        Map<String, Object> p = KafkaSecurity.clientProperties(MapSecurityConfig.of("security-protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN", "sasl.jaas-config-file", file.toString()));
        assertEquals(Map.of("username", "kwsync-client", "password", "kwsync-client-secret"), parsed(p).getOptions());
        assertEquals(1, KafkaSecurity.warnings(MapSecurityConfig.of("security-protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN")).size(), "PLAIN over plaintext is warned about");
    }

    @Test
    void gssapiWithKeytabComposesAKerberosLoginAndNamesKrb5Conf() {
        var c = MapSecurityConfig.of("security-protocol", "SASL_SSL", "sasl.mechanism", "GSSAPI",
                "kerberos.krb5-conf", "/etc/kwsync/krb5.conf", "kerberos.keytab", "/etc/kwsync/client.keytab",
                "kerberos.principal", "kwsync@EXAMPLE.COM");
        Map<String, Object> p = KafkaSecurity.clientProperties(c);
        AppConfigurationEntry e = parsed(p);
        assertEquals(Jaas.KERBEROS_MODULE, e.getLoginModuleName());
        assertEquals(Map.of("useKeyTab", "true", "storeKey", "true", "keyTab", "/etc/kwsync/client.keytab",
                "principal", "kwsync@EXAMPLE.COM"), e.getOptions());
        assertEquals("kafka", p.get("sasl.kerberos.service.name"));
        assertEquals(Map.of("java.security.krb5.conf", "/etc/kwsync/krb5.conf"), KafkaSecurity.systemProperties(c));
        assertEquals(Map.of(), KafkaSecurity.systemProperties(MapSecurityConfig.of()));
    }

    @Test
    void aServiceNameInTheJaasIsNotOverriddenByTheDefault() {
        String jaas = Jaas.KERBEROS_MODULE + " required useKeyTab=true keyTab=\"/k\" principal=\"p@R\" serviceName=\"kafka-server\";";
        Map<String, Object> p = KafkaSecurity.clientProperties(MapSecurityConfig.of("security-protocol", "SASL_SSL",
                "sasl.mechanism", "GSSAPI", "sasl.jaas-config", jaas, "kerberos.krb5-conf", "/k5"));
        assertTrue(!p.containsKey("sasl.kerberos.service.name"), p.keySet().toString());
    }

    @Test
    void tlsSettings() throws IOException {
        Path pw = Files.writeString(dir.resolve("tpw"), "trust-pw\n");
        Map<String, Object> p = KafkaSecurity.clientProperties(MapSecurityConfig.of("security-protocol", "SSL",
                "ssl.truststore-location", "/t.p12", "ssl.truststore-type", "PKCS12", "ssl.truststore-password-file", pw.toString(),
                "ssl.keystore-location", "/k.jks", "ssl.keystore-password", "kpw", "ssl.key-password", "keypw",
                "ssl.hostname-verification", "false"));
        assertEquals(Map.of("security.protocol", "SSL", "ssl.truststore.location", "/t.p12", "ssl.truststore.type", "PKCS12",
                "ssl.truststore.password", "trust-pw", "ssl.keystore.location", "/k.jks", "ssl.keystore.password", "kpw",
                "ssl.key.password", "keypw", "ssl.endpoint.identification.algorithm", ""), p);
        assertEquals(1, KafkaSecurity.warnings(MapSecurityConfig.of("security-protocol", "SSL",
                "ssl.hostname-verification", "false")).size());
    }
}
