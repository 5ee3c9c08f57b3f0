package io.kwsync.ingest;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.Header;
import io.kwsync.model.JsonText;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KWSYNC_MAPPING_COLUMNS on the real broker: exact columns on the rows topic, dirty records on the error topic. */
@QuarkusTest
@TestProfile(MappedIngestTest.Profile.class)
class MappedIngestTest extends IsolatedIngest {

    static final String MAPPING = """
            __key__ => k, __partition__ => p, __offset__ => o, __timestamp__ => ts, __headers__ => h,
            a.a1 => greeting, b, c[1] => second, d[0].AA => aa, ["a.b"] => dotted, d => all_d
            'v1' => schema_version
            missing.path => missing
            """;

    public static class Profile extends IsolatedIngest.Profile {
        @Override
        Map<String, String> settings() {
            return Map.of("kwsync.mapping.columns", MAPPING);
        }
    }

    static final String SPEC_RECORD = """
            {"a": {"a1": "hello"}, "b": "world", "c": ["xxxxxxx", "yyyyyyy"],
             "d": [{"AA": "this", "BB": "is_data"}, {"AA": "that", "BB": "is_also_data"}], "a.b": "unreachable"}""";


    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static ProducerRecord<byte[], byte[]> record(String topic, int partition, String key, byte[] value) {
        return new ProducerRecord<>(topic, partition, 1_669_111_200_123L, utf8(key), value);
    }

    @Test
    void recordsBecomeExactlyTheMappedColumns() {
        String big = "x".repeat(10 * 1024 * 1024);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        ProducerRecord<byte[], byte[]> spec = record(source, 0, "k-spec", utf8(SPEC_RECORD));
        spec.headers().add("trace", utf8("t1")).add("bin", new byte[]{(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF})
                .add("trace", utf8("t2"));
        records.add(spec);
        records.add(record(source, 1, null, utf8("{\"b\":\"only b\"}")));
        records.add(record(source, 2, "tomb", null));
        records.add(record(source, 0, "big", utf8("{\"b\":\"" + big + "\"}")));
        records.add(record(source, 1, "bad-utf8", new byte[]{'{', '"', 'b', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'}));
        records.add(record(source, 2, "truncated", utf8("{\"b\": \"wor")));
        records.add(record(source, 0, "empty", new byte[0]));
        records.add(record(source, 1, "deep", utf8("{\"b\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")));
        TestKafka.sendAll(records);

        Map<String, RowEvent> rows = TestKafka.read(rowsTopic, 4, Duration.ofSeconds(60)).stream()
                .map(r -> RowEventCodec.decode(r.value()))
                .collect(Collectors.toMap(r -> String.valueOf(r.columns().get("k")), r -> r));
        assertEquals(List.of("big", "k-spec", "null", "tomb"), rows.keySet().stream().sorted().toList());

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("k", "k-spec");
        expected.put("p", 0L);
        expected.put("o", 0L);
        expected.put("ts", 1_669_111_200_123L);
        expected.put("h", "{\"trace\":[\"t1\",\"t2\"],\"bin\":{\"base64\":\"3q2+7w==\"}}");
        expected.put("greeting", "hello");
        expected.put("b", "world");
        expected.put("second", "yyyyyyy");
        expected.put("aa", "this");
        expected.put("dotted", "unreachable");
        expected.put("all_d", new JsonText("[{\"AA\":\"this\",\"BB\":\"is_data\"},{\"AA\":\"that\",\"BB\":\"is_also_data\"}]"));
        expected.put("schema_version", "v1");
        expected.put("missing", null);
        RowEvent specRow = rows.get("k-spec");
        assertEquals(expected, specRow.columns());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(specRow.columns().keySet()), "mapping order");
        assertEquals("mapped", specRow.destination().table());

        Map<String, Object> metadataOnly = nulls(expected.keySet());
        metadataOnly.putAll(Map.of("o", 0L, "ts", 1_669_111_200_123L, "h", "{}", "schema_version", "v1"));
        Map<String, Object> onlyB = new HashMap<>(metadataOnly);
        onlyB.putAll(Map.of("p", 1L, "b", "only b"));
        assertEquals(onlyB, rows.get("null").columns(), "a null key is NULL");
        Map<String, Object> tomb = new HashMap<>(metadataOnly);
        tomb.putAll(Map.of("k", "tomb", "p", 2L));
        assertEquals(tomb, rows.get("tomb").columns(), "a tombstone gives NULL for every path");

        assertEquals(big, rows.get("big").columns().get("b"), "a 10 MB value flows to the rows topic");
        assertEquals(1L, rows.get("big").columns().get("o"));
        assertEquals(-1, rows.get("k-spec").chainedAfter(), "the first row of a source partition starts its chain");
        assertEquals(0, rows.get("big").chainedAfter(), "the next one is chained after it");
        assertEquals(-1, rows.get("null").chainedAfter());
        assertEquals(-1, rows.get("tomb").chainedAfter());

        List<ConsumerRecord<byte[], byte[]>> errors = TestKafka.read(errorTopic, 4, Duration.ofSeconds(30));
        Map<String, ConsumerRecord<byte[], byte[]>> byKey = errors.stream()
                .collect(Collectors.toMap(r -> new String(r.key(), StandardCharsets.UTF_8), r -> r));
        assertEquals(4, errors.size());
        assertDead(byKey.get("bad-utf8"), records.get(4).value(), "value is not valid JSON: Invalid UTF-8");
        assertDead(byKey.get("truncated"), records.get(5).value(), "value is not valid JSON: Unexpected end-of-input");
        assertDead(byKey.get("empty"), new byte[0], "value is empty, expected JSON");
        assertDead(byKey.get("deep"), records.get(7).value(), "value is not valid JSON: Document nesting depth");

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kwsync_records_consumed_total{service=\"ingest\"} 8.0"))
                .body(containsString("kwsync_rows_published_total 4.0"))
                .body(containsString("kwsync_records_dirty_total{service=\"ingest\",stage=\"decode\"} 4.0"))
                .body(containsString("kwsync_records_dead_lettered_total{service=\"ingest\"} 4.0"))
                .body(containsString("kwsync_records_held_total{service=\"ingest\"} 0.0"))
                .body(containsString("kwsync_connector_stopped{service=\"ingest\"} 0.0"));
        given().get("/q/health/ready").then().statusCode(200).body(DIRTY + "dirty", equalTo(4));
    }

    static Map<String, Object> nulls(Iterable<String> names) {
        Map<String, Object> m = new HashMap<>();
        names.forEach(n -> m.put(n, null));
        return m;
    }

    private void assertDead(ConsumerRecord<byte[], byte[]> r, byte[] value, String reason) {
        assertArrayEquals(value, r.value(), "original bytes are kept");
        List<Header> headers = new ArrayList<>();
        r.headers().forEach(h -> headers.add(new Header(h.key(), h.value())));
        assertEquals(source, DeadLetter.header(headers, DeadLetter.TOPIC));
        assertEquals("DECODE", DeadLetter.header(headers, DeadLetter.STAGE));
        String actual = DeadLetter.header(headers, DeadLetter.REASON);
        assertTrue(actual.startsWith(reason), actual);
    }
}
