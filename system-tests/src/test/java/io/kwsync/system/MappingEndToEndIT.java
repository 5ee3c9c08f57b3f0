package io.kwsync.system;

import io.kwsync.testing.PrometheusText;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * KWSYNC_MAPPING_COLUMNS end to end: records on a source topic -> ingest-service (configured mapping) -> rows topic
 * -> sink-service -> exactly the mapped columns in MariaDB; unmapped columns keep their default.
 */
class MappingEndToEndIT {

    static final String DB = TestDatabases.mariadbUrl();

    static final String MAPPING = """
            __key__ => k, __partition__ => src_partition, __offset__ => src_offset, __timestamp__ => ts,
            __headers__ => hdrs,
            a.a1 => greeting, b, c[1] => second, d[0].AA => aa, ["a.b"] => dotted, d => d_json,
            'kafka' => origin, nope.nothing => missing
            """;

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void specExampleAndGeneratedRecordsArriveAsExactlyTheMappedColumns() {
        String connector = TestKafka.unique("e2e-map");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        TestKafka.createTopic(source, 3);
        TestDatabases.execute(DB, "CREATE TABLE " + table + " (k VARCHAR(40) PRIMARY KEY, src_partition BIGINT,"
                + " src_offset BIGINT, ts BIGINT, hdrs TEXT, greeting VARCHAR(40), b VARCHAR(40), second VARCHAR(40),"
                + " aa VARCHAR(40), dotted VARCHAR(40), d_json JSON, origin VARCHAR(20), missing VARCHAR(20),"
                + " untouched VARCHAR(20) DEFAULT 'dflt')");
        Map<String, String> env = new HashMap<>(StreamingEndToEndIT.commonEnv(connector));
        env.put("KWSYNC_SOURCE_TOPICS", source);
        env.put("KWSYNC_DESTINATION_TABLE", table);
        env.put("KWSYNC_MAPPING_COLUMNS", MAPPING);

        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(60), ingest, sink);

            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            ProducerRecord<byte[], byte[]> spec = new ProducerRecord<>(source, 0, 1_669_111_200_123L, utf8("spec"), utf8("""
                    {"a": {"a1": "hello"}, "b": "world", "c": ["xxxxxxx", "yyyyyyy"],
                     "d": [{"AA": "this", "BB": "is_data"}, {"AA": "that", "BB": "is_also_data"}], "a.b": "unreachable"}"""));
            spec.headers().add("trace", utf8("abc"));
            records.add(spec);
            int n = 300;
            for (int i = 0; i < n; i++) {
                String json = "{\"a\":{\"a1\":\"h" + i + "\"},\"b\":\"w" + i + "\",\"c\":[0," + i + "],\"d\":[{\"AA\":" + i
                        + "}],\"unmapped\":{\"deep\":[1,2,3]}}";
                records.add(new ProducerRecord<>(source, i % 3, utf8("r" + i), utf8(json)));
            }
            records.add(new ProducerRecord<>(source, 1, utf8("dirty"), utf8("{\"b\": tru")));
            TestKafka.sendAll(records);

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> TestDatabases.count(DB, table) >= n + 1);
            assertEquals(n + 1, TestDatabases.count(DB, table));

            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("k", "spec");
            expected.put("src_partition", 0L);
            expected.put("src_offset", 0L);
            expected.put("ts", 1_669_111_200_123L);
            expected.put("hdrs", "{\"trace\":\"abc\"}");
            expected.put("greeting", "hello");
            expected.put("b", "world");
            expected.put("second", "yyyyyyy");
            expected.put("aa", "this");
            expected.put("dotted", "unreachable");
            expected.put("d_json", "[{\"AA\":\"this\",\"BB\":\"is_data\"},{\"AA\":\"that\",\"BB\":\"is_also_data\"}]");
            expected.put("origin", "kafka");
            expected.put("missing", null);
            expected.put("untouched", "dflt");
            Map<String, Object> row = new LinkedHashMap<>(TestDatabases.query(DB, "SELECT * FROM " + table + " WHERE k = 'spec'").get(0));
            row.replaceAll((c, v) -> v instanceof Number num && !(v instanceof Long) ? num.longValue() : v);
            assertEquals(expected, row);

            Map<String, Object> r7 = TestDatabases.query(DB, "SELECT * FROM " + table + " WHERE k = 'r7'").get(0);
            assertEquals("h7", r7.get("greeting"));
            assertEquals("w7", r7.get("b"));
            assertEquals("7", r7.get("second"), "a JSON number into a VARCHAR column");
            assertEquals("7", r7.get("aa"));
            assertEquals(null, r7.get("dotted"));
            assertEquals("[{\"AA\":7}]", r7.get("d_json"));
            assertEquals("{}", r7.get("hdrs"));
            assertEquals(1L, ((Number) r7.get("src_partition")).longValue());

            Map<String, Object> agg = TestDatabases.query(DB, "SELECT COUNT(DISTINCT src_partition, src_offset) AS c,"
                    + " SUM(origin = 'kafka') AS o, SUM(missing IS NULL) AS m, SUM(untouched = 'dflt') AS u FROM " + table).get(0);
            assertEquals(n + 1, ((Number) agg.get("c")).intValue());
            assertEquals(n + 1, ((Number) agg.get("o")).intValue());
            assertEquals(n + 1, ((Number) agg.get("m")).intValue());
            assertEquals(n + 1, ((Number) agg.get("u")).intValue());

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = ingest.get("/q/metrics");
                assertEquals(n + 2, PrometheusText.value(metrics, "kwsync_records_consumed_total", "service=\"ingest\""));
                assertEquals(1, PrometheusText.value(metrics, "kwsync_records_dead_lettered_total", "service=\"ingest\""));
            });
        }
    }
}
