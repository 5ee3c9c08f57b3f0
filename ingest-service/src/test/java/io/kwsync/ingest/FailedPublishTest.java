package io.kwsync.ingest;

import io.kwsync.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A row the broker refuses fails its batch: the source record is not acknowledged, so its offset is never committed
 * and a restart reads it again, and the source consumer stops (liveness DOWN). (A row larger than the rows topic takes is dead-lettered
 * before it is sent, see {@link HostileRecordsTest}; here the topic's limit is lowered after the service read it, so
 * the broker is the one that refuses.)
 */
@QuarkusTest
@TestProfile(FailedPublishTest.Profile.class)
class FailedPublishTest extends IsolatedIngest {

    public static class Profile extends IsolatedIngest.Profile {
        @Override
        Map<String, String> settings() {
            return Map.of("partitions", "1");
        }
    }

    @Test
    void aRefusedRowIsNeverAcknowledged() throws Exception {
        TestKafka.sendAll(List.of(StopAtDirtyRecordTest.value(source, "{\"id\":0}")));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.committed("connect-" + connector, source).getOrDefault(0, -1L) == 1L);
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, rowsTopic), List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", "2048"), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }

        byte[] random = new byte[16 * 1024]; // hex of random bytes: lz4 cannot shrink it below the topic's limit
        new Random(42).nextBytes(random);
        TestKafka.sendAll(List.of(StopAtDirtyRecordTest.value(source, "{\"id\":1,\"big\":\"" + HexFormat.of().formatHex(random) + "\"}")));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/live").then().statusCode(503)
                .body("checks.find { it.name == 'source-consumers' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'source-consumers' }.data.'kafka-consumer-source'", containsString("RecordTooLarge")));
        StopAtDirtyRecordTest.assertCommittedStaysAt(connector, source, 1L);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kwsync_records_consumed_total{service=\"ingest\"} 2.0"))
                .body(containsString("kwsync_rows_published_total 1.0"));
    }
}
