package io.kwsync.system;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad or missing setting stops the service at start with a message naming the environment variable. */
class ConfigurationErrorsIT {

    private static String failToStart(String module, Map<String, String> env) {
        try (ServiceProcess p = new ServiceProcess(module, "config-error-" + module + "-" + env.hashCode(), env).start()) {
            assertEquals(1, p.awaitExit(Duration.ofSeconds(60)), "exit code");
            return p.output();
        }
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
