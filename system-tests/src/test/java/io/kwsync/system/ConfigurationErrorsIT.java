package io.kwsync.system;

import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad or missing setting stops the service at start with a message naming the environment variable. */
@Execution(ExecutionMode.CONCURRENT) // independent tests (own environment and log each), most of them only starting a JVM
class ConfigurationErrorsIT {

    /**
     * The service that finds no broker gives up only after its 30 s of patience, so it starts before the class's
     * first test and is waited for in its own, while the others run; its 60 s deadline still counts from its start.
     */
    private static ServiceProcess unreachableBroker;
    private static long unreachableBrokerStarted;
    private static int closed;

    @BeforeAll
    static void startTheServiceWithoutABroker() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, String> env = ingest("KWSYNC_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closed);
        unreachableBrokerStarted = System.nanoTime();
        unreachableBroker = new ServiceProcess("ingest-service", "config-error-ingest-service-" + env.hashCode(), env).start();
    }

    @AfterAll
    static void stopIt() {
        unreachableBroker.close();
    }

    private static String failToStart(String module, Map<String, String> env) {
        try (ServiceProcess p = new ServiceProcess(module, "config-error-" + module + "-" + env.hashCode(), env).start()) {
            assertEquals(1, p.awaitExit(Duration.ofSeconds(60)), "exit code");
            return p.output();
        }
    }

    /** What the service said about its failure (the list after the logs), which must name no Java class. */
    static String reason(String out) {
        int at = out.lastIndexOf("failed to start: ");
        assertTrue(at >= 0, out);
        StringBuilder sb = new StringBuilder();
        for (String line : out.substring(at).split("\n")) {
            if (!sb.isEmpty() && !line.startsWith("  - ")) break; // log lines of the shutdown may follow
            sb.append(sb.isEmpty() ? "" : "\n").append(line);
        }
        String reason = sb.toString();
        assertFalse(Pattern.compile("\\b[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)+\\.[A-Z]\\w*").matcher(reason).find(),
                "no Java class name: " + reason);
        assertTrue(reason.startsWith("failed to start: Invalid configuration:\n  - "), reason);
        return reason;
    }

    static Map<String, String> ingest(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("KWSYNC_CONNECTOR_NAME", TestKafka.unique("cfg"),
                "KWSYNC_SOURCE_TOPICS", "t", "KWSYNC_DESTINATION_TABLE", "x", "KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap()));
        for (int i = 0; i < more.length; i += 2) env.put(more[i], more[i + 1]);
        return env;
    }

    static Map<String, String> sink(String... more) {
        Map<String, String> env = new HashMap<>(StreamingEndToEndIT.commonEnv(TestKafka.unique("cfg")));
        for (int i = 0; i < more.length; i += 2) env.put(more[i], more[i + 1]);
        return env;
    }

    @Test
    void valuesOfTheWrongTypeEndInTheSameListAsOurOwnChecks() {
        String out = reason(failToStart("sink-service", sink("KWSYNC_SINK_BATCH_MAX_AGE", "5minutes", "KWSYNC_JDBC_POOL_SIZE", "many")));
        assertTrue(out.contains("KWSYNC_SINK_BATCH_MAX_AGE (kwsync.sink.batch-max-age) '5minutes' is not a duration: write a number"
                + " and a unit, e.g. 500ms, 30s, 5m or 2h"), out);
        assertTrue(out.contains("KWSYNC_JDBC_POOL_SIZE (kwsync.jdbc.pool-size) 'many' is not a whole number"), out);
        out = reason(failToStart("sink-service", sink("KWSYNC_SINK_TYPE", "postgres", "KWSYNC_SINK_RETRY_TIMEOUT", "0s",
                "KWSYNC_HTTP_PORT", "99999")));
        assertTrue(out.contains("KWSYNC_SINK_TYPE (kwsync.sink.type) 'postgres' is not a destination of this service;"
                + " use jdbc or maxcompute"), out);
        assertTrue(out.contains("KWSYNC_SINK_RETRY_TIMEOUT (kwsync.sink.retry-timeout) must be more than 0s"), out);
        assertTrue(out.contains("KWSYNC_HTTP_PORT (kwsync.http.port) '99999' is not a port: use 1 to 65535"), out);
        out = reason(failToStart("ingest-service", ingest("KWSYNC_HTTP_PORT", "99999", "KWSYNC_SOURCE_CONCURRENCY", "0")));
        assertTrue(out.contains("KWSYNC_HTTP_PORT (kwsync.http.port) '99999' is not a port: use 1 to 65535"), out);
        assertTrue(out.contains("KWSYNC_SOURCE_CONCURRENCY (kwsync.source.concurrency) '0' is not allowed: use 1 or more"), out);
        out = reason(failToStart("ingest-service", ingest("KWSYNC_HTTP_PORT", "http", "KWSYNC_SOURCE_CONCURRENCY", "two")));
        assertTrue(out.contains("KWSYNC_HTTP_PORT (quarkus.http.port) 'http' is not a whole number")
                || out.contains("KWSYNC_HTTP_PORT (kwsync.http.port) 'http' is not a whole number"), out);
        assertTrue(out.contains("KWSYNC_SOURCE_CONCURRENCY (kwsync.source.concurrency) 'two' is not a whole number"), out);
    }

    @Test
    void aBusyPortOrAnAddressNotOfThisMachineIsNamed() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            String out = reason(failToStart("ingest-service", ingest("KWSYNC_HTTP_PORT", Integer.toString(busy.getLocalPort()))));
            assertTrue(out.contains("KWSYNC_HTTP_PORT (quarkus.http.port) / KWSYNC_HTTP_HOST (kwsync.http.host): the HTTP server"
                    + " cannot listen") && out.contains("address already in use"), out);
        }
        String out = reason(failToStart("sink-service", sink("KWSYNC_HTTP_HOST", "192.0.2.1")));
        assertTrue(out.contains("KWSYNC_HTTP_HOST (kwsync.http.host)") && out.contains("not an address of this machine"), out);
    }

    @Test
    void anUnreachableBrokerIsNamedOnceInsteadOfAFloodOfWarnings() {
        String all;
        try (ServiceProcess p = unreachableBroker) {
            assertEquals(1, p.awaitExit(Duration.ofSeconds(60).minusNanos(System.nanoTime() - unreachableBrokerStarted)), "exit code");
            all = p.output();
        }
        String out = reason(all);
        assertTrue(out.contains("KWSYNC_KAFKA_BOOTSTRAP_SERVERS (kwsync.kafka.bootstrap-servers) '127.0.0.1:" + closed
                + "': no Kafka broker could be reached in 30s: 127.0.0.1:" + closed + " refused the connection"), out);
        assertEquals(0, all.lines().filter(l -> l.contains("could not be established")).count(), "no client warnings: " + all);
    }

    @Test
    void aJobWindowEndingBeforeItBeginsIsRefusedAtStart() {
        String out = reason(failToStart("ingest-service", ingest("KWSYNC_INGEST_MODE", "job", "KWSYNC_JOB_DESTINATION_PARTITION",
                "none", "KWSYNC_JOB_BEGIN_OFFSET", "500", "KWSYNC_JOB_END_OFFSET", "100")));
        assertTrue(out.contains("KWSYNC_JOB_END_OFFSET (kwsync.job.end-offset) is before the window's begin (500 and 100)"), out);
    }

    @Test
    void ingestNamesEveryMissingVariable() {
        String out = failToStart("ingest-service", Map.of());
        assertTrue(out.contains("KWSYNC_CONNECTOR_NAME (kwsync.connector.name) is required"), out);
        assertTrue(out.contains("KWSYNC_SOURCE_TOPICS (kwsync.source.topics) is required"), out);
        assertTrue(out.contains("KWSYNC_DESTINATION_TABLE (kwsync.destination.table) is required"), out);
    }

    @Test
    void ingestNamesAnInvalidValue() {
        String out = failToStart("ingest-service", Map.of("KWSYNC_CONNECTOR_NAME", "Bad_Name", "KWSYNC_SOURCE_TOPICS", "t",
                "KWSYNC_DESTINATION_TABLE", "x"));
        assertTrue(out.contains("KWSYNC_CONNECTOR_NAME (kwsync.connector.name) 'Bad_Name' may contain only digits"), out);
        out = failToStart("ingest-service", Map.of("KWSYNC_CONNECTOR_NAME", "ok", "KWSYNC_SOURCE_TOPICS", "t",
                "KWSYNC_DESTINATION_TABLE", "x", "KWSYNC_SOURCE_OFFSET_RESET", "yesterday"));
        assertTrue(out.contains("KWSYNC_SOURCE_OFFSET_RESET (kwsync.source.offset-reset)"), out);
        assertTrue(out.contains("yesterday"), out);
    }

    @Test
    void ingestNamesTheJobVariablesInJobMode() {
        String out = failToStart("ingest-service", Map.of("KWSYNC_CONNECTOR_NAME", "job-check", "KWSYNC_SOURCE_TOPICS", "t",
                "KWSYNC_DESTINATION_TABLE", "x", "KWSYNC_INGEST_MODE", "job", "KWSYNC_JOB_SCHEDULE", "hour",
                "KWSYNC_JOB_PARAMETERS", "startTime=$[yyyymmddhh-1/24]0000 endTime=$[yyyymmddhh24]0000",
                "KWSYNC_JOB_LATE_PARTITION", "ds=${partition}_late"));
        assertTrue(out.contains("KWSYNC_JOB_PARAMETERS (kwsync.job.parameters) '$[yyyymmddhh-1/24]0000'"), out);
        assertTrue(out.contains("write the hour as hh24"), out);
        assertTrue(out.contains("KWSYNC_JOB_DESTINATION_PARTITION (kwsync.job.destination-partition) is required in job mode"), out);
        out = failToStart("ingest-service", Map.of("KWSYNC_CONNECTOR_NAME", "job-check", "KWSYNC_SOURCE_TOPICS", "t",
                "KWSYNC_DESTINATION_TABLE", "x", "KWSYNC_INGEST_MODE", "job", "KWSYNC_JOB_SCHEDULE", "fortnightly"));
        assertTrue(out.contains("KWSYNC_JOB_SCHEDULE (kwsync.job.schedule)"), out);
    }

    @Test
    void sinkNamesTheJdbcVariables() {
        String out = failToStart("sink-service", Map.of("KWSYNC_CONNECTOR_NAME", "ok"));
        assertTrue(out.contains("KWSYNC_JDBC_URL (kwsync.jdbc.url) is required"), out);
        out = failToStart("sink-service", Map.of("KWSYNC_CONNECTOR_NAME", "ok", "KWSYNC_JDBC_URL", "jdbc:oracle:thin:@x",
                "KWSYNC_SINK_BATCH_MAX_ROWS", "0", "KWSYNC_JDBC_PASSWORD_FILE", "/nonexistent/secret"));
        assertTrue(out.contains("KWSYNC_JDBC_URL (kwsync.jdbc.url) must start with jdbc:mysql: or jdbc:postgresql:"), out);
        assertTrue(out.contains("KWSYNC_SINK_BATCH_MAX_ROWS (kwsync.sink.batch-max-rows) must be at least 1"), out);
        assertTrue(out.contains("KWSYNC_JDBC_PASSWORD_FILE (kwsync.jdbc.password-file) names a file that does not exist"), out);
    }

    @Test
    void sinkNamesADestinationItDoesNotHave() {
        String out = failToStart("sink-service", Map.of("KWSYNC_CONNECTOR_NAME", "ok", "KWSYNC_SINK_TYPE", "oracle",
                "KWSYNC_SINK_BATCH_MAX_ROWS", "0"));
        assertTrue(out.contains("KWSYNC_SINK_TYPE (kwsync.sink.type) 'oracle' is not a destination of this service;"
                + " use jdbc or maxcompute"), out);
        assertTrue(out.contains("KWSYNC_SINK_BATCH_MAX_ROWS (kwsync.sink.batch-max-rows) must be at least 1"), out);
    }

    @Test
    void sinkRefusesAWrongPasswordAtStartWithoutPrintingIt() {
        String out = failToStart("sink-service", Map.of("KWSYNC_CONNECTOR_NAME", "pw-check",
                "KWSYNC_JDBC_URL", io.kwsync.testing.TestDatabases.mariadbUrl(), "KWSYNC_JDBC_USER", "kwsync",
                "KWSYNC_JDBC_PASSWORD", "definitely-wrong-pw-31337"));
        assertTrue(out.contains("KWSYNC_JDBC_USER / KWSYNC_JDBC_PASSWORD: the database refused the login"), out);
        assertTrue(!out.contains("definitely-wrong-pw-31337"), "the password never appears in the output");
    }
}
