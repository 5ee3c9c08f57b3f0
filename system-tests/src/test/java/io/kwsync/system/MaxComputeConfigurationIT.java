package io.kwsync.system;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MaxCompute settings that cannot work stop the service at start with a message naming the variable, the missing
 * permission or the missing object; secrets never appear in the output. The tests are independent and mostly wait
 * for a JVM, so they run side by side; the one that takes a permission away from the shared emulator holds
 * {@link #PERMISSIONS} alone, the ones whose service asks the emulator share it.
 */
@Execution(ExecutionMode.CONCURRENT)
class MaxComputeConfigurationIT {

    static final String PERMISSIONS = "maxcompute-config-permissions";

    static final String PROJECT = "kwsync_cfg";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;

    @BeforeAll
    static void createTable() {
        mc.execute(PROJECT, "CREATE TABLE existing (topic STRING, key STRING, value STRING) PARTITIONED BY (pt STRING)");
    }

    static String failToStart(String module, Map<String, String> env) {
        return failToStart(module, env, Integer.toString(env.hashCode()));
    }

    static String failToStart(String module, Map<String, String> env, String name) {
        try (ServiceProcess p = new ServiceProcess(module, "mc-config-" + module + "-" + name, env).start()) {
            assertEquals(1, p.awaitExit(Duration.ofSeconds(60)), "exit code");
            return p.output();
        }
    }

    static Map<String, String> sink(String secret) {
        Map<String, String> env = new HashMap<>();
        env.put("KWSYNC_CONNECTOR_NAME", TestKafka.unique("mc-cfg"));
        env.put("KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap());
        env.put("KWSYNC_SINK_TYPE", "maxcompute");
        env.put("KWSYNC_MAXCOMPUTE_ENDPOINT", mc.endpoint());
        env.put("KWSYNC_MAXCOMPUTE_PROJECT", PROJECT);
        env.put("KWSYNC_MAXCOMPUTE_TABLE", "existing");
        env.put("KWSYNC_MAXCOMPUTE_ACCESS_ID", MaxComputeEmulator.ACCESS_ID);
        env.put("KWSYNC_MAXCOMPUTE_ACCESS_KEY", secret);
        return env;
    }

    @Test
    void missingSettingsAreNamed() {
        String out = failToStart("sink-service", Map.of("KWSYNC_CONNECTOR_NAME", "ok", "KWSYNC_SINK_TYPE", "maxcompute",
                "KWSYNC_MAXCOMPUTE_ENDPOINT", "service.example.com/api", "KWSYNC_MAXCOMPUTE_CREATE_TABLE", "key-value",
                "KWSYNC_MAXCOMPUTE_ACCESS_KEY_FILE", "/nonexistent/secret"));
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_ENDPOINT (kwsync.maxcompute.endpoint) must be an http:// or https:// URL"), out);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_PROJECT (kwsync.maxcompute.project) is required"), out);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_ACCESS_ID (kwsync.maxcompute.access-id) is required"), out);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_ACCESS_KEY_FILE (kwsync.maxcompute.access-key-file) names a file that does not exist"), out);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_TABLE (kwsync.maxcompute.table) is required when KWSYNC_MAXCOMPUTE_CREATE_TABLE is key-value"), out);
    }

    @Test
    @ResourceLock(value = PERMISSIONS, mode = ResourceAccessMode.READ)
    void pacingDeadlinesAndTheKeyOfACreatedTableAreChecked() {
        Map<String, String> env = sink(MaxComputeEmulator.ACCESS_KEY);
        env.put("KWSYNC_MAXCOMPUTE_COMMIT_INTERVAL", "2h");
        env.put("KWSYNC_MAXCOMPUTE_COMMIT_BYTES", "1000");
        env.put("KWSYNC_MAXCOMPUTE_CALL_TIMEOUT", "0s");
        env.put("KWSYNC_MAXCOMPUTE_TABLE_CACHE_SIZE", "0");
        env.put("KWSYNC_MAXCOMPUTE_CREATE_TABLE_PRIMARY_KEY", "key");
        String out = failToStart("sink-service", env);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_COMMIT_INTERVAL (kwsync.maxcompute.commit-interval) must be between 1s and 1h"), out);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_COMMIT_BYTES (kwsync.maxcompute.commit-bytes) must be between 1M and 100G"), out);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_CALL_TIMEOUT (kwsync.maxcompute.call-timeout) must be between 1s and 30m"), out);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_TABLE_CACHE_SIZE (kwsync.maxcompute.table-cache-size) must be at least 1"), out);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_CREATE_TABLE_PRIMARY_KEY (kwsync.maxcompute.create-table-primary-key) only applies"
                + " to a table the sink creates"), out);

        env = sink(MaxComputeEmulator.ACCESS_KEY);
        env.put("KWSYNC_MAXCOMPUTE_TABLE", "created");
        env.put("KWSYNC_MAXCOMPUTE_CREATE_TABLE", "key-value");
        env.put("KWSYNC_MAXCOMPUTE_CREATE_TABLE_PRIMARY_KEY", "topic,nope");
        out = failToStart("sink-service", env);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_CREATE_TABLE_PRIMARY_KEY (kwsync.maxcompute.create-table-primary-key) primary key"
                + " column 'nope' is not a column of the table"), out);
        env.put("KWSYNC_MAXCOMPUTE_CREATE_TABLE_PRIMARY_KEY", "PT");
        env.put("KWSYNC_MAXCOMPUTE_CREATE_TABLE_PARTITION_COLUMNS", "pt");
        out = failToStart("sink-service", env);
        assertTrue(out.contains("'PT' is a partition column; a primary key is made of columns"), out);
        env.put("KWSYNC_MAXCOMPUTE_WRITE_MODE", "sideways");
        out = failToStart("sink-service", env);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_WRITE_MODE"), out);
    }

    @Test
    @ResourceLock(value = PERMISSIONS, mode = ResourceAccessMode.READ)
    void aWrongSecretIsRefusedWithoutShowingIt() {
        String wrong = "wrong-secret-5e8d1c-never-print";
        Map<String, String> env = sink(wrong);
        env.put("KWSYNC_LOG_LEVEL", "DEBUG");
        String out = failToStart("sink-service", env);
        assertTrue(out.contains("MaxCompute refused the credentials"), out);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_ACCESS_ID and KWSYNC_MAXCOMPUTE_ACCESS_KEY"), out);
        assertFalse(out.contains(wrong), "the secret never appears in the output");
    }

    @Test
    @ResourceLock(value = PERMISSIONS, mode = ResourceAccessMode.READ)
    void aWrongProjectOrTableIsNamed() {
        Map<String, String> env = sink(MaxComputeEmulator.ACCESS_KEY);
        env.put("KWSYNC_MAXCOMPUTE_PROJECT", "no_such_project");
        String out = failToStart("sink-service", env);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_PROJECT (kwsync.maxcompute.project): project 'no_such_project' does not exist"), out);

        env = sink(MaxComputeEmulator.ACCESS_KEY);
        env.put("KWSYNC_MAXCOMPUTE_ENDPOINT", mc.tunnelEndpoint() + "/not-the-api");
        out = failToStart("sink-service", env);
        assertTrue(out.contains("does not exist at " + mc.tunnelEndpoint() + "/not-the-api (check KWSYNC_MAXCOMPUTE_ENDPOINT too"), out);

        env = sink(MaxComputeEmulator.ACCESS_KEY);
        env.put("KWSYNC_MAXCOMPUTE_TABLE", "no_such_table");
        out = failToStart("sink-service", env);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_TABLE (kwsync.maxcompute.table): table kwsync_cfg.no_such_table does not exist"), out);
        assertFalse(out.contains(MaxComputeEmulator.ACCESS_KEY));
    }

    @Test
    @ResourceLock(PERMISSIONS) // deny() changes what every service of this class is allowed
    void aMissingDescribePermissionNamesTheGrant() {
        mc.deny("Describe");
        try {
            String out = failToStart("sink-service", sink(MaxComputeEmulator.ACCESS_KEY));
            assertTrue(out.contains("MaxCompute denied the Describe permission on acs:odps:*:projects/kwsync_cfg/tables/existing"), out);
            assertTrue(out.contains("Grant Describe on the table"), out);
        } finally {
            mc.allowAll();
        }
    }

    @Test
    void ingestRefusesLayoutsThatDoNotFitTogether() {
        Map<String, String> env = new HashMap<>(Map.of("KWSYNC_CONNECTOR_NAME", "ok", "KWSYNC_SOURCE_TOPICS", "t",
                "KWSYNC_DESTINATION_TABLE", "x", "KWSYNC_RECORD_LAYOUT", "key-value", "KWSYNC_RECORD_FORMAT", "csv",
                "KWSYNC_PARTITION_TIME_ZONE", "Mars/Olympus", "KWSYNC_PARTITION_PATTERNS", "yyyyMMdd"));
        String out = failToStart("ingest-service", env);
        assertTrue(out.contains("KWSYNC_RECORD_FORMAT (kwsync.record.format) is csv, which needs KWSYNC_RECORD_MODE"), out);
        assertTrue(out.contains("KWSYNC_PARTITION_TIME_ZONE (kwsync.partition.time-zone) 'Mars/Olympus' is not a time zone"), out);

        env = new HashMap<>(Map.of("KWSYNC_CONNECTOR_NAME", "ok", "KWSYNC_SOURCE_TOPICS", "t", "KWSYNC_DESTINATION_TABLE", "x",
                "KWSYNC_RECORD_LAYOUT", "key-value", "KWSYNC_PARTITION_PATTERNS", "yyyyMMdd", "KWSYNC_RECORD_MODE", "sideways"));
        out = failToStart("ingest-service", env);
        assertTrue(out.contains("KWSYNC_RECORD_MODE (kwsync.record.mode)"), out);
        assertTrue(out.contains("sideways"), out);

        env.remove("KWSYNC_RECORD_MODE");
        out = failToStart("ingest-service", env);
        assertTrue(out.contains("KWSYNC_PARTITION_PATTERNS (kwsync.partition.patterns) value patterns are coarser than HOUR"), out);
    }
}
