package io.kwsync.system;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.model.DeadLetter;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JSON messages through both services into a MaxCompute table with nested and length- or precision-bound types: arrays
 * and objects become ARRAY, MAP and STRUCT values, and a message whose value a column cannot take goes to the error
 * topic with the column and the reason while the others are written.
 */
class MaxComputeTypesIT {

    static final String PROJECT = "kwsync_types_e2e";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void jsonArraysAndObjectsFillComplexColumnsAndMisfitsGoToTheErrorTopic() {
        String connector = TestKafka.unique("mc-types");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + table + " (id BIGINT, tags ARRAY<STRING>, counts MAP<STRING,BIGINT>,"
                + " item STRUCT<sku:STRING,sizes:ARRAY<INT>>, price DECIMAL(10,2), code VARCHAR(5), at TIMESTAMP, doc JSON)");
        TestKafka.createTopic(source, 1);
        List<String> messages = List.of(
                "{\"id\":1,\"tags\":[\"a\",\"b\"],\"counts\":{\"x\":1,\"y\":2},\"item\":{\"sku\":\"S1\",\"sizes\":[38,39]},"
                        + "\"price\":9.5,\"code\":\"AB\",\"at\":\"2020-11-17T06:30:00.250Z\",\"doc\":{\"k\":[1,2]}}",
                "{\"id\":2,\"tags\":\"not-an-array\"}",
                "{\"id\":3,\"price\":1.005}",
                "{\"id\":4,\"item\":{\"sku\":\"S4\",\"colour\":\"red\"}}",
                "{\"id\":5,\"tags\":[],\"counts\":{},\"item\":{\"sku\":\"S5\"},\"code\":\"ABCDE\"}");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String m : messages) records.add(new ProducerRecord<>(source, 0, null, MaxComputeEndToEndIT.utf8(m)));
        TestKafka.sendAll(records);

        Map<String, String> env = MaxComputeEndToEndIT.env(mc, PROJECT, connector, source, table);
        env.put("KWSYNC_RECORD_LAYOUT", "json-columns");
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ingest.startReady(Duration.ofSeconds(60));
            sink.startReady(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> mc.rowCount(PROJECT, table) == 2);
            List<ConsumerRecord<byte[], byte[]>> letters = TestKafka.read("connect-error-" + connector, 3, Duration.ofSeconds(60));
            Map<Long, String> reasons = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> l : letters) {
                assertEquals("WRITE", header(l, DeadLetter.STAGE));
                reasons.put(Long.parseLong(header(l, DeadLetter.OFFSET)), header(l, DeadLetter.REASON));
            }
            assertEquals(List.of(1L, 2L, 3L), List.copyOf(reasons.keySet()), reasons.toString());
            assertTrue(reasons.get(1L).contains("column tags (ARRAY<STRING>): expects a JSON array"), reasons.get(1L));
            assertTrue(reasons.get(2L).contains("more than 2 decimal places"), reasons.get(2L));
            assertTrue(reasons.get(3L).contains("has no field colour"), reasons.get(3L));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> mc.rowCount(PROJECT, table) == 2);
        }
        List<Map<String, Object>> rows = mc.allRows(PROJECT, table).values().stream().flatMap(List::stream)
                .sorted(Comparator.comparing(r -> (Long) r.get("id"))).toList();
        Map<String, Object> first = rows.get(0);
        assertEquals(List.of("a", "b"), first.get("tags"));
        assertEquals(Map.of("x", 1L, "y", 2L), first.get("counts"));
        assertEquals("{sku:S1,sizes:[38,39]}", String.valueOf(first.get("item")).replace(" ", "").replace("\"", ""));
        assertEquals(0, new BigDecimal("9.50").compareTo((BigDecimal) first.get("price")));
        assertEquals("AB", String.valueOf(first.get("code")));
        Object at = first.get("at"); // as the SDK's reader gives it back
        assertEquals(Instant.parse("2020-11-17T06:30:00.250Z"), at instanceof Timestamp ts ? ts.toInstant() : at);
        assertEquals("{\"k\":[1,2]}", String.valueOf(first.get("doc")));
        Map<String, Object> last = rows.get(1);
        assertEquals(5L, last.get("id"));
        assertEquals(List.of(), last.get("tags"));
        assertEquals(Map.of(), last.get("counts"));
        assertEquals("ABCDE", String.valueOf(last.get("code")));
    }
}
