package io.kwsync.system;

import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.testing.PrometheusText;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database password comes from KWSYNC_JDBC_PASSWORD or KWSYNC_JDBC_PASSWORD_FILE only, and shows up nowhere: not
 * in the log (at DEBUG), not on /q/metrics, not in health details, whatever fails.
 */
@Execution(ExecutionMode.CONCURRENT) // independent tests (own connector, table, port and log each), mostly waiting for a JVM
class CredentialsIT {

    static String url(String db) {
        return db.equals("mariadb") ? TestDatabases.mariadbUrl() : TestDatabases.postgresUrl();
    }

    static Map<String, String> env(String connector, String url) {
        return new HashMap<>(Map.of("KWSYNC_CONNECTOR_NAME", connector, "KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap(),
                "KWSYNC_JDBC_URL", url, "KWSYNC_JDBC_USER", TestDatabases.user(), "KWSYNC_LOG_LEVEL", "DEBUG",
                "KWSYNC_SINK_RETRY_TIMEOUT", "20s", "KWSYNC_SINK_RETRY_BACKOFF_MAX", "1s"));
    }

    static void sendRows(String connector, String table, int n) {
        List<ProducerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            RowEvent row = new RowEvent(new Origin("src", 0, i, 0, null, List.of()), Destination.table(table), Map.of("id", (long) i));
            records.add(new ProducerRecord<>("kwsync-rows-" + connector, 0, null, RowEventCodec.encode(row)));
        }
        TestKafka.sendAll(records);
    }

    /** Everything the service shows: its whole output and its HTTP endpoints. */
    static String everythingShown(ServiceProcess sink) {
        return sink.output() + sink.get("/q/metrics") + sink.get("/q/health/ready") + sink.get("/q/health/live");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgresql"})
    void aWrongPasswordStopsTheSinkAndIsNotPrinted(String db) {
        Map<String, String> env = env(TestKafka.unique("pw-wrong"), url(db));
        env.put("KWSYNC_JDBC_PASSWORD", "wrong-pw-marker-31337");
        try (ServiceProcess p = new ServiceProcess("sink-service", "pw-wrong-" + db, env).start()) {
            assertEquals(1, p.awaitExit(Duration.ofSeconds(60)));
            String out = p.output();
            assertTrue(out.contains("KWSYNC_JDBC_USER / KWSYNC_JDBC_PASSWORD: the database refused the login"), out);
            assertFalse(out.contains("wrong-pw-marker-31337"), "the password is not in the output");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "postgresql"})
    void whileTheDatabaseIsUnreachableThePasswordIsNowhere(String protocol) {
        String connector = TestKafka.unique("pw-down");
        int closedPort = ServiceProcess.freePort();
        Map<String, String> env = env(connector, "jdbc:" + protocol + "://127.0.0.1:" + closedPort + "/kwsync");
        env.put("KWSYNC_JDBC_PASSWORD", "unreachable-pw-marker-4711");
        try (ServiceProcess sink = new ServiceProcess("sink-service", connector, env).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.status("/q/health/live") == 200);
            sendRows(connector, "t", 3);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    PrometheusText.value(sink.get("/q/metrics"), "kwsync_write_retries_total", "") >= 2);
            String shown = everythingShown(sink);
            assertTrue(shown.contains("writing 3 rows failed, retrying"), "the failure is reported");
            assertFalse(shown.contains("unreachable-pw-marker-4711"), "the password is nowhere");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgresql"})
    void whenAWriteCannotProceedThePasswordFromTheFileIsNowhere(String db) throws Exception {
        String connector = TestKafka.unique("pw-file");
        Path secret = ServiceProcess.REPO.resolve("system-tests/target/secrets/" + connector);
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, TestDatabases.password() + "\n");
        Map<String, String> env = env(connector, url(db));
        env.put("KWSYNC_JDBC_PASSWORD_FILE", secret.toString());
        try (ServiceProcess sink = new ServiceProcess("sink-service", connector, env)) {
            sink.startReady(Duration.ofSeconds(60));
            sendRows(connector, "no_such_table_" + connector.replace('-', '_'), 2);
            // a missing table holds the batch (readiness DOWN naming the table) until an operator creates it
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.status("/q/health/ready") == 503);
            String shown = everythingShown(sink);
            assertTrue(shown.contains("does not exist"), "the failure is reported");
            assertFalse(shown.contains(TestDatabases.password()), "the password is nowhere");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:mysql://kwsync:url-pw-marker-1@127.0.0.1:3306/kwsync",
            "jdbc:postgresql://127.0.0.1:5432/kwsync?user=kwsync&password=url-pw-marker-1"})
    void aPasswordInTheUrlIsRefusedWithoutEchoingIt(String url) {
        try (ServiceProcess p = new ServiceProcess("sink-service", "pw-url-" + url.length(), env("pw-url", url)).start()) {
            assertEquals(1, p.awaitExit(Duration.ofSeconds(60)));
            String out = p.output();
            assertTrue(out.contains("KWSYNC_JDBC_URL (kwsync.jdbc.url) must not carry a password"), out);
            assertFalse(out.contains("url-pw-marker-1"), "the password is not in the output");
        }
    }
}
