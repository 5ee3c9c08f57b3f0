package io.kwsync.ingest;

import io.kwsync.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/preview on the real broker: the last N records of each source partition as the rows they would become or
 * the reason they are dirty; bounded N; the token; and nothing committed or published. The source consumers are off
 * in this application ({@code mp.messaging.incoming.source.enabled=false}), so every offset commit and every record on
 * the rows or error topic could only come from the preview.
 */
@QuarkusTest
@TestProfile(PreviewApiTest.Profile.class)
class PreviewApiTest extends IsolatedIngest {

    public static class Profile extends IsolatedIngest.Profile {
        @Override
        Map<String, String> settings() {
            return Map.of("mp.messaging.incoming.source.enabled", "false", "kwsync.mapping.columns", "id => id, name => name");
        }
    }

    @ConfigProperty(name = "kwsync.api.token")
    String token;

    static ProducerRecord<byte[], byte[]> record(String topic, int partition, String value) {
        return new ProducerRecord<>(topic, partition, 1_669_111_200_000L, "k".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theLastRecordsOfEachPartitionAsRowsOrReasonsAndNothingCommittedOrSent() throws Exception {
        given().auth().oauth2(token).get("/api/preview?records=3").then().statusCode(200)
                .body("totals.records", equalTo(0)).body("complete", equalTo(true))
                .body("partitions.size()", equalTo(3)).body("partitions[0].from", equalTo(0)).body("partitions[0].to", equalTo(0));

        // partition 0: four records, the last two read; partition 1: one dirty record only; partition 2: empty
        TestKafka.sendAll(List.of(record(source, 0, "{\"id\": 1, \"name\": \"a\"}"), record(source, 0, "{\"id\": 2, \"name\": \"b\"}"),
                record(source, 0, "{\"id\": 3, \"name\": \"c\"}"), record(source, 0, "not json"), record(source, 1, "{broken")));

        given().auth().oauth2(token).get("/api/preview?records=2").then().statusCode(200)
                .body("topics", equalTo(List.of(source))).body("recordsPerPartition", equalTo(2)).body("complete", equalTo(true))
                .body("totals.records", equalTo(3)).body("totals.rows", equalTo(1)).body("totals.dirty", equalTo(2))
                .body("partitions[0].from", equalTo(2)).body("partitions[0].to", equalTo(4)).body("partitions[0].records", equalTo(2))
                .body("partitions[1].records", equalTo(1)).body("partitions[2].records", equalTo(0))
                .body("records[0].offset", equalTo(2)).body("records[0].key", equalTo("k"))
                .body("records[0].row.table", equalTo("mapped")).body("records[0].row.columns.id", equalTo(3))
                .body("records[0].row.columns.name", equalTo("c")).body("records[0].dirty", nullValue())
                .body("records[1].offset", equalTo(3)).body("records[1].row", nullValue())
                .body("records[1].dirty.stage", equalTo("DECODE")).body("records[1].dirty.value", equalTo("not json"))
                .body("records[1].dirty.reason", containsString("value is not valid JSON: Unrecognized token"))
                .body("records[2].partition", equalTo(1)).body("records[2].dirty.value", equalTo("{broken"));

        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            List<String> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(ConsumerGroupListing::groupId).filter(g -> g.contains(connector)).toList();
            assertEquals(List.of(), groups, "the preview reads without a consumer group, so it cannot commit");
            for (String topic : List.of(rowsTopic, errorTopic)) {
                if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) continue;
                assertTrue(TestKafka.read(topic, 0, java.time.Duration.ofSeconds(2)).isEmpty(), "nothing was published to " + topic);
            }
        }
    }

    @Test
    void recordsIsBoundedAndTheTokenRequired() {
        for (String bad : List.of("0", "-1", "501", "100000", "ten")) {
            given().auth().oauth2(token).get("/api/preview?records=" + bad).then().statusCode(400)
                    .body("error", equalTo("invalid_request")).body("message", containsString("from 1 to 500"));
        }
        given().get("/api/preview?records=5").then().statusCode(401);
        given().auth().oauth2(token + "-wrong").get("/api/preview").then().statusCode(401);
    }
}
