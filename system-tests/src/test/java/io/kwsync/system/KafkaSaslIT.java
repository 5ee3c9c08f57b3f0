package io.kwsync.system;

import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kwsync.system.SecuredPipeline.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both packaged services against the shared broker's SASL_PLAINTEXT listener (dev/up.sh): PLAIN and SCRAM-SHA-256
 * logins end to end into MariaDB, test messages through the protected API, and clear start failures.
 */
class KafkaSaslIT {

    static final String TOKEN = "sasl-it-api-token-" + Long.toHexString(System.nanoTime());

    static List<ProducerRecord<byte[], byte[]>> records(String topic, int from, int to) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new ProducerRecord<>(topic, i % 3, ("k" + i).getBytes(StandardCharsets.UTF_8), json(i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void plainLoginEndToEndWithTestMessagesSentThroughTheApi() {
        Connector c = Connector.fresh("sasl-plain");
        String connector = c.name();
        Map<String, String> env = c.env(TestKafka.saslBootstrap());
        Path tokenFile = secret(connector + "-token", TOKEN + "\n");
        // ingest: user name and password variables; sink: DataWorks' JAAS file format
        Map<String, String> ingestEnv = with(env, "KWSYNC_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KWSYNC_KAFKA_SASL_MECHANISM", "PLAIN", "KWSYNC_KAFKA_SASL_USERNAME", TestKafka.saslUser(),
                "KWSYNC_KAFKA_SASL_PASSWORD", TestKafka.saslPassword(), "KWSYNC_API_TOKEN_FILE", tokenFile.toString());
        Path jaas = secret(connector + "-jaas.conf", """
                KafkaClient {
                org.apache.kafka.common.security.plain.PlainLoginModule required
                username="%s"
                password="%s";
                };
                """.formatted(TestKafka.saslUser(), TestKafka.saslPassword()));
        Map<String, String> sinkEnv = with(env, "KWSYNC_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KWSYNC_KAFKA_SASL_MECHANISM", "PLAIN", "KWSYNC_KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString());

        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", ingestEnv);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", sinkEnv)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(90), ingest, sink);
            assertTrue(ingest.output().contains("the password crosses the network unencrypted"), "PLAIN without TLS is warned about");

            int viaApi = 20;
            for (int i = 0; i < viaApi; i++) {
                ServiceProcess.Response r = ingest.post("/api/test-messages", TOKEN,
                        "{\"key\":\"k" + i + "\",\"value\":" + json(i) + ",\"partition\":" + (i % 3) + "}");
                assertEquals(200, r.status(), r.body());
                assertTrue(r.body().contains("\"partition\":" + (i % 3)), r.body());
            }
            assertEquals(401, ingest.post("/api/test-messages", null, "{\"value\":" + json(999) + "}").status());
            assertEquals(401, ingest.post("/api/test-messages", TOKEN + "x", "{\"value\":" + json(999) + "}").status());
            TestKafka.sendAll(records(c.source(), viaApi, 300));

            awaitRows(c.table(), 300);
            assertEquals(200, sink.status("/q/health/ready"));
            assertEquals(200, ingest.status("/q/metrics"), "metrics need no token");
            assertFalse(ingest.output().contains(TestKafka.saslPassword()), "the password is never logged");
            assertFalse(sink.output().contains(TestKafka.saslPassword()), "the password is never logged");
        }
    }

    @Test
    void scramSha256LoginEndToEndWithThePasswordFromAFile() {
        Connector c = Connector.fresh("sasl-scram");
        String connector = c.name();
        Path password = secret(connector + "-password", TestKafka.saslPassword() + "\n");
        Map<String, String> env = with(c.env(TestKafka.saslBootstrap()),
                "KWSYNC_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KWSYNC_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                "KWSYNC_KAFKA_SASL_USERNAME", TestKafka.saslUser(), "KWSYNC_KAFKA_SASL_PASSWORD_FILE", password.toString());

        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(90), ingest, sink);
            TestKafka.sendAll(records(c.source(), 0, 500));
            awaitRows(c.table(), 500);

            ServiceProcess.Response r = ingest.post("/api/test-messages", "any-token-at-all-0000", "{\"value\":\"x\"}");
            assertEquals(403, r.status(), "without a configured token the API refuses every call");
            assertTrue(r.body().contains("set KWSYNC_API_TOKEN or KWSYNC_API_TOKEN_FILE"), r.body());
        }
    }

    @Test
    void aWrongPasswordStopsTheStartWithAClearMessageThatDoesNotRepeatIt() {
        String connector = TestKafka.unique("sasl-wrong");
        Map<String, String> env = with(env(connector, TestKafka.saslBootstrap(), "t", "x"),
                "KWSYNC_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KWSYNC_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                "KWSYNC_KAFKA_SASL_USERNAME", TestKafka.saslUser(), "KWSYNC_KAFKA_SASL_PASSWORD", "wrong-pw-77113");
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env).start()) {
            assertEquals(1, ingest.awaitExit(Duration.ofSeconds(90)), "exit code");
            String out = ingest.output();
            assertTrue(out.contains("refused the SASL login"), out);
            assertTrue(out.contains("KWSYNC_KAFKA_SASL_PASSWORD"), out);
            assertFalse(out.contains("wrong-pw-77113"), "the password never appears in the output");
        }
    }

    @Test
    void gssapiIsValidatedAtStartAndAFailedKerberosLoginIsExplained() {
        String connector = TestKafka.unique("gssapi");
        Map<String, String> base = with(env(connector, TestKafka.saslBootstrap(), "t", "x"),
                "KWSYNC_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KWSYNC_KAFKA_SASL_MECHANISM", "GSSAPI");
        try (ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", base).start()) {
            assertEquals(1, sink.awaitExit(Duration.ofSeconds(60)));
            String out = sink.output();
            assertTrue(out.contains("KWSYNC_KAFKA_KERBEROS_KRB5_CONF (kwsync.kafka.kerberos.krb5-conf) is required with SASL mechanism GSSAPI"), out);
            assertTrue(out.contains("KWSYNC_KAFKA_KERBEROS_KEYTAB (kwsync.kafka.kerberos.keytab) is required"), out);
            assertTrue(out.contains("KWSYNC_KAFKA_KERBEROS_PRINCIPAL (kwsync.kafka.kerberos.principal) is required"), out);
        }
        // A complete configuration whose KDC does not answer: the login fails before any broker is contacted.
        Path krb5 = secret(connector + "-krb5.conf", """
                [libdefaults]
                default_realm = KWSYNC.TEST
                kdc_timeout = 1000
                max_retries = 1
                [realms]
                KWSYNC.TEST = {
                kdc = 127.0.0.1:%d
                }
                """.formatted(ServiceProcess.freePort()));
        Path keytab = SecuredPipeline.SECRETS.resolve(connector + ".keytab");
        writeKeytab(keytab, "kwsync", "KWSYNC.TEST");
        Map<String, String> env = with(base, "KWSYNC_KAFKA_KERBEROS_KRB5_CONF", krb5.toString(),
                "KWSYNC_KAFKA_KERBEROS_KEYTAB", keytab.toString(), "KWSYNC_KAFKA_KERBEROS_PRINCIPAL", "kwsync@KWSYNC.TEST");
        try (ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink-2", env).start()) {
            assertEquals(1, sink.awaitExit(Duration.ofSeconds(90)));
            String out = sink.output();
            assertTrue(out.contains("cannot create a Kafka client for " + TestKafka.saslBootstrap()), out);
            assertTrue(out.contains("the Kerberos login failed: check KWSYNC_KAFKA_KERBEROS_KEYTAB"), out);
        }
    }

    /** A keytab (MIT format 0x0502) with one random AES-128 key for name@realm: enough to make the client call its KDC. */
    static void writeKeytab(Path file, String name, String realm) {
        try (var out = new java.io.DataOutputStream(java.nio.file.Files.newOutputStream(file))) {
            var entry = new java.io.ByteArrayOutputStream();
            var e = new java.io.DataOutputStream(entry);
            e.writeShort(1);
            e.writeShort(realm.length());
            e.writeBytes(realm);
            e.writeShort(name.length());
            e.writeBytes(name);
            e.writeInt(1);
            e.writeInt((int) (System.currentTimeMillis() / 1000));
            e.writeByte(1);
            e.writeShort(17);
            e.writeShort(16);
            e.write(new java.security.SecureRandom().generateSeed(16));
            out.writeShort(0x0502);
            out.writeInt(entry.size());
            out.write(entry.toByteArray());
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
