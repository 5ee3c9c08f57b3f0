package io.kwsync.system;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.testing.PrometheusText;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JSON messages with keys the MaxCompute table lacks, through both services with KWSYNC_MAXCOMPUTE_AUTO_ADD_COLUMNS:
 * the emulator runs the sink's ALTER TABLE ... ADD COLUMNS, the rows carry the new values, a key in another case goes
 * into the existing column, a key that cannot be a column and one past the cap are ignored and counted.
 */
class MaxComputeSchemaEvolutionIT {

    static final String PROJECT = "kwsync_evolve_e2e";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;

    @Test
    void newKeysBecomeColumnsUpToTheCap() {
        String connector = TestKafka.unique("mc-evolve");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + table + " (id BIGINT, Name STRING)");
        TestKafka.createTopic(source, 1);
        List<String> messages = List.of(
                "{\"id\":1,\"name\":\"a\",\"price\":1.25,\"tags\":[\"x\",\"y\"],\"bad-key\":1,\"NEW_col\":\"u\"}",
                "{\"id\":2,\"name\":\"b\",\"new_col\":\"v\",\"qty\":3}",
                "{\"id\":3,\"name\":\"c\",\"qty\":4,\"overflow\":\"o\",\"bad-key\":2}");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String m : messages) records.add(new ProducerRecord<>(source, 0, null, MaxComputeEndToEndIT.utf8(m)));
        TestKafka.sendAll(records);

        Map<String, String> env = MaxComputeEndToEndIT.env(mc, PROJECT, connector, source, table);
        env.put("KWSYNC_RECORD_LAYOUT", "json-columns");
        env.put("KWSYNC_MAXCOMPUTE_AUTO_ADD_COLUMNS", "true");
        env.put("KWSYNC_MAXCOMPUTE_AUTO_COLUMNS_MAX", "6"); // id, Name and four more
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ingest.startReady(Duration.ofSeconds(60));
            sink.startReady(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> mc.rowCount(PROJECT, table) == 3);
            String metrics = sink.get("/q/metrics");
            assertEquals(4, PrometheusText.value(metrics, "kwsync_maxcompute_columns_added_total", ""), 0.0, metrics);
            assertEquals(1, PrometheusText.value(metrics, "kwsync_maxcompute_keys_not_added_total", "reason=\"invalid-name\""), 0.0);
            assertEquals(1, PrometheusText.value(metrics, "kwsync_maxcompute_keys_not_added_total", "reason=\"limit\""), 0.0);
            // bad-key twice, overflow once
            assertEquals(3, PrometheusText.value(metrics, "kwsync_keys_unknown_total", ""), 0.0);
            assertTrue(sink.output().contains("added columns"), "the change is logged");
        }
        String describe = mc.describe(PROJECT, table);
        assertTrue(describe.startsWith(table + " (id BIGINT, Name STRING, price DECIMAL(38,18), tags STRING, NEW_col STRING, qty BIGINT)"),
                describe);
        List<Map<String, Object>> rows = mc.allRows(PROJECT, table).values().stream().flatMap(List::stream)
                .sorted(Comparator.comparing(r -> (Long) r.get("id"))).toList();
        assertEquals("a", rows.get(0).get("Name"));
        assertEquals(0, new java.math.BigDecimal("1.25").compareTo((java.math.BigDecimal) rows.get(0).get("price")));
        assertEquals("[\"x\",\"y\"]", rows.get(0).get("tags"));
        assertEquals("u", rows.get(0).get("NEW_col"));
        assertNull(rows.get(0).get("qty"));
        assertEquals("v", rows.get(1).get("NEW_col"), "new_col went into NEW_col");
        assertEquals(3L, rows.get(1).get("qty"));
        assertEquals(4L, rows.get(2).get("qty"));
    }
}
