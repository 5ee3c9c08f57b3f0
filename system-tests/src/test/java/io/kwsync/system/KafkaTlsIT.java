package io.kwsync.system;

import io.kwsync.testing.TestCertificates;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.kwsync.system.SecuredPipeline.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both packaged services against a private broker with an SSL listener that requires client certificates
 * (keystores and truststores made by keytool under target/): rows flow end to end, and a truststore that does not
 * hold the broker's certificate stops the start with a message naming the variable.
 */
class KafkaTlsIT {

    static final String STORE_PW = "trust-store-pw";
    static PrivateKafkaBroker broker;
    static TestCertificates.Identity brokerId;
    static TestCertificates.Identity clientId;
    static Path clientTrust;
    static Path wrongTrust;

    @BeforeAll
    static void brokerWithMutualTls() {
        String name = TestKafka.unique("tls");
        TestCertificates certs = new TestCertificates(ServiceProcess.REPO.resolve("system-tests/target/certs/" + name));
        brokerId = certs.identity("broker");
        clientId = certs.identity("kwsync-client");
        TestCertificates.Identity impostor = certs.identity("impostor");
        Path brokerTrust = certs.truststore("broker-trust", "PKCS12", STORE_PW, clientId);
        clientTrust = certs.truststore("client-trust", "PKCS12", STORE_PW, brokerId);
        wrongTrust = certs.truststore("wrong-trust", "JKS", STORE_PW, impostor);
        broker = new PrivateKafkaBroker(name).withSsl(brokerId, brokerTrust, STORE_PW).start();
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.close();
    }

    static void createTopic(String topic) throws Exception {
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void rowsFlowOverMutualTls() throws Exception {
        String connector = TestKafka.unique("tls-e2e");
        String source = connector + "-src";
        createTopic(source);
        String table = table(connector);
        String token = "tls-it-api-token-" + Long.toHexString(System.nanoTime());
        Map<String, String> env = with(env(connector, broker.sslBootstrap(), source, table),
                "KWSYNC_KAFKA_SECURITY_PROTOCOL", "SSL",
                "KWSYNC_KAFKA_SSL_KEYSTORE_LOCATION", clientId.keystore().toString(),
                "KWSYNC_KAFKA_SSL_KEYSTORE_TYPE", "PKCS12",
                "KWSYNC_KAFKA_SSL_KEYSTORE_PASSWORD_FILE", secret(connector + "-ks-pw", clientId.password() + "\n").toString(),
                "KWSYNC_API_TOKEN", token);
        // ingest: PKCS12 truststore with a password file; sink: the broker certificate as a PEM truststore
        Map<String, String> ingestEnv = with(env, "KWSYNC_KAFKA_SSL_TRUSTSTORE_LOCATION", clientTrust.toString(),
                "KWSYNC_KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE", secret(connector + "-ts-pw", STORE_PW + "\n").toString());
        Map<String, String> sinkEnv = with(env, "KWSYNC_KAFKA_SSL_TRUSTSTORE_LOCATION", brokerId.certificate().toString(),
                "KWSYNC_KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");

        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", ingestEnv);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", sinkEnv)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(90), ingest, sink);
            ServiceProcess.Response r = ingest.post("/api/test-messages", token, "{\"key\":\"k0\",\"value\":" + json(0) + "}");
            assertEquals(200, r.status(), "the test-message producer uses TLS too: " + r.body());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrap(), ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
                List<Future<?>> acks = new java.util.ArrayList<>();
                for (int i = 1; i < 400; i++) {
                    acks.add(producer.send(new ProducerRecord<>(source, i % 3, null, json(i).getBytes(StandardCharsets.UTF_8))));
                }
                for (Future<?> f : acks) f.get(30, TimeUnit.SECONDS);
            }
            awaitRows(table, 400);
            assertFalse(ingest.output().contains(STORE_PW), "store passwords are never logged");
            assertFalse(sink.output().contains(clientId.password()), "store passwords are never logged");
        }
    }

    @Test
    void aTruststoreWithoutTheBrokersCertificateStopsTheStartClearly() {
        String connector = TestKafka.unique("tls-wrong");
        Map<String, String> env = with(env(connector, broker.sslBootstrap(), "src", "t"),
                "KWSYNC_KAFKA_SECURITY_PROTOCOL", "SSL",
                "KWSYNC_KAFKA_SSL_TRUSTSTORE_LOCATION", wrongTrust.toString(), "KWSYNC_KAFKA_SSL_TRUSTSTORE_PASSWORD", STORE_PW,
                "KWSYNC_KAFKA_SSL_KEYSTORE_LOCATION", clientId.keystore().toString(),
                "KWSYNC_KAFKA_SSL_KEYSTORE_PASSWORD", clientId.password());
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env).start()) {
            assertEquals(1, ingest.awaitExit(Duration.ofSeconds(90)), "exit code");
            String out = ingest.output();
            assertTrue(out.contains("the TLS handshake with Kafka at " + broker.sslBootstrap() + " failed"), out);
            assertTrue(out.contains("Check KWSYNC_KAFKA_SSL_TRUSTSTORE_LOCATION (it must hold the CA of the brokers' certificates)"), out);
            assertFalse(out.contains(STORE_PW), "the password never appears in the output");
        }
    }

    @Test
    void aWrongTruststorePasswordIsAConfigurationError() {
        String connector = TestKafka.unique("tls-pw");
        Map<String, String> env = with(env(connector, broker.sslBootstrap(), "src", "t"),
                "KWSYNC_KAFKA_SECURITY_PROTOCOL", "SSL",
                "KWSYNC_KAFKA_SSL_TRUSTSTORE_LOCATION", clientTrust.toString(), "KWSYNC_KAFKA_SSL_TRUSTSTORE_PASSWORD", "not-it-4411");
        try (ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env).start()) {
            assertEquals(1, sink.awaitExit(Duration.ofSeconds(60)), "exit code");
            String out = sink.output();
            assertTrue(out.contains("KWSYNC_KAFKA_SSL_TRUSTSTORE_PASSWORD (kwsync.kafka.ssl.truststore-password) does not open "
                    + clientTrust + " (wrong password"), out);
            assertFalse(out.contains("not-it-4411"), "the password never appears in the output");
        }
    }
}
