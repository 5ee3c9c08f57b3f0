package io.kwsync.ingest;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.Header;
import io.kwsync.model.JsonText;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(IngestTopicsResource.class)
class StreamingIngestTest {

    @ConfigProperty(name = "kwsync.source.topics")
    String source;
    @ConfigProperty(name = "kwsync.rows.topic")
    String rowsTopic;
    @ConfigProperty(name = "kwsync.error.topic")
    String errorTopic;

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonRecordsBecomeRowEventsAndDirtyRecordsGoToTheErrorTopicWithTheirBytes() {
        int n = 60;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var r = new ProducerRecord<>(source, i % 3, utf8("k" + i),
                    utf8("{\"id\":" + i + ",\"name\":\"p" + i + "\",\"score\":" + i + ".25,\"tags\":[\"t" + i + "\"]}"));
            r.headers().add("trace", utf8("tr" + i));
            records.add(r);
        }
        records.add(new ProducerRecord<>(source, 0, utf8("bad1"), utf8("not json")));
        records.add(new ProducerRecord<>(source, 1, utf8("bad2"), utf8("[1,2,3]")));
        records.add(new ProducerRecord<>(source, 2, utf8("bad3"), null));
        TestKafka.sendAll(records);

        List<RowEvent> rows = TestKafka.read(rowsTopic, n, Duration.ofSeconds(60)).stream()
                .map(r -> RowEventCodec.decode(r.value())).collect(Collectors.toList());
        assertEquals(n, rows.size(), "exactly one row event per good record");
        rows.sort(Comparator.comparingLong(r -> ((Long) r.columns().get("id"))));
        for (int i = 0; i < n; i++) {
            RowEvent row = rows.get(i);
            assertEquals(Map.of("id", (long) i, "name", "p" + i, "score", new BigDecimal(i + ".25"),
                    "tags", new JsonText("[\"t" + i + "\"]")), row.columns());
            assertEquals("people", row.destination().table());
            assertEquals(source, row.origin().topic());
            assertEquals(i % 3, row.origin().partition());
            assertEquals(i / 3, row.origin().offset(), "offsets follow the produce order per partition");
            assertArrayEquals(utf8("k" + i), row.origin().key());
            assertEquals(List.of(new Header("trace", utf8("tr" + i))), row.origin().headers());
            assertTrue(row.origin().timestamp() > 1_600_000_000_000L);
        }

        List<ConsumerRecord<byte[], byte[]>> errors = TestKafka.read(errorTopic, 3, Duration.ofSeconds(30));
        assertEquals(3, errors.size());
        Map<String, ConsumerRecord<byte[], byte[]>> byKey = errors.stream()
                .collect(Collectors.toMap(r -> new String(r.key(), StandardCharsets.UTF_8), r -> r));
        assertReason(byKey.get("bad1"), "not json", "value is not valid JSON");
        assertReason(byKey.get("bad2"), "[1,2,3]", "value is not a JSON object");
        assertReason(byKey.get("bad3"), null, "value is null");

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kwsync_records_consumed_total{service=\"ingest\"} 63.0"))
                .body(containsString("kwsync_rows_published_total " + n + ".0"))
                .body(containsString("kwsync_records_dirty_total{service=\"ingest\",stage=\"decode\"} 3.0"))
                // the Kafka client metrics of the source consumer (the lag alert's series) and of the rows producer
                .body(matchesPattern("(?s).*kafka_consumer_fetch_manager_records_lag_max\\{[^}]*client_id=\"kafka-consumer-source\".*"))
                .body(matchesPattern("(?s).*kafka_producer_record_send_total\\{[^}]*client_id=\"kafka-producer-rows\".*"));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    private void assertReason(ConsumerRecord<byte[], byte[]> r, String value, String reason) {
        assertArrayEquals(utf8(value), r.value(), "original bytes are kept");
        List<Header> headers = new ArrayList<>();
        r.headers().forEach(h -> headers.add(new Header(h.key(), h.value())));
        assertEquals(source, DeadLetter.header(headers, DeadLetter.TOPIC));
        assertEquals("DECODE", DeadLetter.header(headers, DeadLetter.STAGE));
        assertTrue(DeadLetter.header(headers, DeadLetter.REASON).startsWith(reason), DeadLetter.header(headers, DeadLetter.REASON));
        assertTrue(Long.parseLong(DeadLetter.header(headers, DeadLetter.OFFSET)) >= 0);
        assertNull(DeadLetter.header(headers, "absent"));
    }
}
