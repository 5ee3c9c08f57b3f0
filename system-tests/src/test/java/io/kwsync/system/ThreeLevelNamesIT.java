package io.kwsync.system;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.kwsync.system.JobEndToEndIT.awaitFinished;
import static io.kwsync.system.JobEndToEndIT.submit;
import static io.kwsync.system.JobEndToEndIT.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MaxCompute's three-level model through both services: a connector configured with {@code project.schema.table}
 * creates that table in its schema and streams into it; a window job replaces a partition of a schema's table; a
 * schema the project does not have stops the sink at start, naming the variable.
 */
class ThreeLevelNamesIT {

    static final String PROJECT = "kwsync_schemas";
    static MaxComputeEmulator mc;

    @BeforeAll
    static void start() {
        mc = MaxComputeEmulator.start().createProject(PROJECT).createSchema(PROJECT, "ods");
    }

    @AfterAll
    static void stop() {
        mc.close();
    }

    @Test
    void aConnectorCreatesAndStreamsIntoATableOfASchema() {
        String connector = TestKafka.unique("mc-schema");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        String name = PROJECT + ".ods." + table;
        int n = 300;
        MaxComputeEndToEndIT.produce(source, 2, n, "2020-11-17T06:10:00Z", 1000, i -> "v" + i); // 14:10 Beijing time
        Map<String, String> env = MaxComputeEndToEndIT.env(mc, PROJECT, connector, source, name);
        env.put("KWSYNC_MAXCOMPUTE_TABLE", name);
        env.put("KWSYNC_MAXCOMPUTE_CREATE_TABLE", "key-value");
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ingest.startReady(Duration.ofSeconds(60));
            sink.startReady(Duration.ofSeconds(60));
            assertTrue(sink.output().contains("created table " + name), "the sink created it in its schema");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250))
                    .until(() -> mc.rowCount(PROJECT, "ods." + table) >= n);
        }
        assertEquals(n, mc.rows(PROJECT, "ods." + table, "pt=11-17-2020 14").size());
        assertFalse(mc.tableExists(PROJECT, table), "nothing in the DEFAULT schema");
    }

    @Test
    void aWindowJobReplacesAPartitionOfATableOfASchema() {
        String connector = TestKafka.unique("mc-schema-job");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        TestKafka.createTopicKeepingOldRecords(source, 3);
        mc.execute(PROJECT, "CREATE TABLE " + PROJECT + ".ods." + table + " (id BIGINT, amount DECIMAL(12,2)) PARTITIONED BY (ds STRING)");
        MaxComputeJobEndToEndIT.produce(new MaxComputeJobEndToEndIT.Job(connector, source, table));
        String name = PROJECT + ".ods." + table;
        Map<String, String> env = JobEndToEndIT.env(connector, source, name);
        env.keySet().removeIf(k -> k.startsWith("KWSYNC_JDBC_"));
        env.putAll(MaxComputeEndToEndIT.env(mc, PROJECT, connector, source, name));
        env.remove("KWSYNC_RECORD_LAYOUT");
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ingest.startReady(Duration.ofSeconds(60));
            sink.startReady(Duration.ofSeconds(60));
            String id = submit(ingest, connector, "20221122090000", "20221122100000", "2022112210");
            Map<String, Object> r = awaitFinished(ingest, connector, id);
            assertEquals("SUCCEEDED", r.get("state"), String.valueOf(r));
            assertEquals(600, written(r, "ds=2022112210"));
        }
        assertEquals(MaxComputeJobEndToEndIT.window(), mc.rows(PROJECT, "ods." + table, "ds=2022112210").stream()
                .map(row -> (Long) row.get("id")).sorted().toList(), "exactly the window's records, in the schema's table");
    }

    @Test
    void aSchemaTheProjectDoesNotHaveStopsTheSinkAtStart() {
        String connector = TestKafka.unique("mc-schema-cfg");
        Map<String, String> env = MaxComputeEndToEndIT.env(mc, PROJECT, connector, connector + "-src", PROJECT + ".nosuch.orders");
        env.put("KWSYNC_MAXCOMPUTE_TABLE", PROJECT + ".nosuch.orders");
        String out = MaxComputeConfigurationIT.failToStart("sink-service", env);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_TABLE") && out.contains("Schema not found - '" + PROJECT + ".nosuch'"), out);
        env.put("KWSYNC_MAXCOMPUTE_TABLE", "nosuch.orders");
        out = MaxComputeConfigurationIT.failToStart("sink-service", env);
        assertTrue(out.contains("KWSYNC_MAXCOMPUTE_TABLE (kwsync.maxcompute.table) 'nosuch.orders' is not a MaxCompute table name"), out);
    }
}
