package io.kwsync.system;

import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /q/health/ready follows reality: DOWN while Kafka or the database cannot be reached, UP again after. */
class ReadinessIT {

    @Test
    void sinkIsNotReadyWhileTheDatabaseIsUnreachableButStaysAlive() {
        String connector = TestKafka.unique("ready-db");
        int closedPort = ServiceProcess.freePort();
        Map<String, String> env = Map.of("KWSYNC_CONNECTOR_NAME", connector,
                "KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap(),
                "KWSYNC_JDBC_URL", "jdbc:mysql://127.0.0.1:" + closedPort + "/kwsync",
                "KWSYNC_JDBC_USER", TestDatabases.user(), "KWSYNC_JDBC_PASSWORD", TestDatabases.password());
        try (ServiceProcess sink = new ServiceProcess("sink-service", connector, env).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.status("/q/health/live") == 200);
            assertEquals(503, sink.status("/q/health/ready"));
            assertTrue(sink.get("/q/health/ready").contains("destination not reachable"));
        }
    }

    @Test
    void ingestIsNotReadyWhileTheBrokerIsDownAndRecoversWhenItReturns() throws Exception {
        try (PrivateKafkaBroker broker = new PrivateKafkaBroker(TestKafka.unique("ready-broker")).start()) {
            try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("src", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Map<String, String> env = Map.of("KWSYNC_CONNECTOR_NAME", "ready-broker",
                    "KWSYNC_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrap(),
                    "KWSYNC_SOURCE_TOPICS", "src", "KWSYNC_DESTINATION_TABLE", "t");
            try (ServiceProcess ingest = new ServiceProcess("ingest-service", "ready-broker-ingest", env)) {
                ingest.startReady(Duration.ofSeconds(60));
                broker.kill();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> ingest.status("/q/health/ready") == 503);
                assertEquals(200, ingest.status("/q/health/live"), "a broker outage is not a reason to restart the pod");
                broker.start();
                ingest.awaitReady(Duration.ofSeconds(90));
            }
        }
    }
}
