package io.kwsync.ingest;

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
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * KWSYNC_ERROR_LIMIT=1: the first dirty record goes to the error topic, the second stops the connector. Nothing from
 * the stopping record on is published or acknowledged: the committed offset stays at it, so a restart reads it again.
 */
@QuarkusTest
@TestProfile(StopAtDirtyRecordTest.Profile.class)
class StopAtDirtyRecordTest extends IsolatedIngest {

    public static class Profile extends IsolatedIngest.Profile {
        @Override
        Map<String, String> settings() {
            return Map.of("partitions", "1", "kwsync.mapping.columns", "b, __offset__ => o", "kwsync.error.limit", "1");
        }
    }



    /** The source group's committed offset of partition 0 reaches {@code offset} and does not move past it. */
    static void assertCommittedStaysAt(String connector, String source, long offset) {
        String group = "connect-" + connector;
        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.committed(group, source).getOrDefault(0, -1L) == offset);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> TestKafka.committed(group, source).get(0) == offset);
    }

    static ProducerRecord<byte[], byte[]> value(String topic, String json) {
        return new ProducerRecord<>(topic, 0, null, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void secondDirtyRecordStopsTheConnectorWithNothingAcknowledgedPastIt() {
        TestKafka.sendAll(List.of(
                value(source, "{\"b\":\"zero\"}"),
                value(source, "dirty one"),
                value(source, "{\"b\":\"two\"}"),
                value(source, "dirty two"),
                value(source, "{\"b\":\"four\"}"),
                value(source, "{\"b\":\"five\"}")));

        given().get("/q/health/live").then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body(DIRTY + "stoppedAt", equalTo(source + "-0@3"))
                .body(DIRTY + "because", equalTo("more than KWSYNC_ERROR_LIMIT=1 dirty records"))
                .body(DIRTY + "reason", startsWith("value is not valid JSON: Unrecognized token 'dirty'")));
        given().get("/q/health/live").then().statusCode(200);

        // offsets 0 and 2 reached the rows topic, offset 1 the error topic; 3, 4 and 5 nowhere
        List<Long> rowOffsets = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TestKafka.read(rowsTopic, 2, Duration.ofSeconds(30))) {
            rowOffsets.add((Long) RowEventCodec.decode(r.value()).columns().get("o"));
        }
        assertEquals(List.of(0L, 2L), rowOffsets.stream().sorted().toList());
        List<ConsumerRecord<byte[], byte[]>> errors = TestKafka.read(errorTopic, 1, Duration.ofSeconds(30));
        assertEquals(1, errors.size());
        assertEquals("dirty one", new String(errors.get(0).value(), StandardCharsets.UTF_8));

        assertCommittedStaysAt(connector, source, 3L);

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kwsync_records_consumed_total{service=\"ingest\"} 6.0"))
                .body(containsString("kwsync_rows_published_total 2.0"))
                .body(containsString("kwsync_records_dirty_total{service=\"ingest\",stage=\"decode\"} 2.0"))
                .body(containsString("kwsync_records_dead_lettered_total{service=\"ingest\"} 1.0"))
                .body(containsString("kwsync_records_held_total{service=\"ingest\"} 3.0"))
                .body(containsString("kwsync_connector_stopped{service=\"ingest\"} 1.0"));
    }
}
