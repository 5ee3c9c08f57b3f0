package io.kwsync.ingest;

import io.kwsync.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A connector stopped by a dirty record stays stopped across a rebalance: when another member joins and leaves the
 * source group, the partitions the service gets back are paused at once, so it fetches nothing (not even the dirty
 * record again), publishes nothing and commits nothing more, also for records that arrive afterwards.
 */
@QuarkusTest
@TestProfile(StoppedAcrossRebalanceTest.Profile.class)
class StoppedAcrossRebalanceTest extends IsolatedIngest {

    public static class Profile extends IsolatedIngest.Profile {
        @Override
        Map<String, String> settings() {
            return Map.of("partitions", "2", "kwsync.failure.policy", "stop");
        }
    }

    static ProducerRecord<byte[], byte[]> record(String topic, int partition, String json) {
        return new ProducerRecord<>(topic, partition, null, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSourceStaysPausedWhenItsPartitionsComeBack() throws Exception {
        String group = "connect-" + connector;
        TestKafka.sendAll(List.of(record(source, 0, "{\"id\":0}"), record(source, 1, "{\"id\":1}")));
        await().atMost(Duration.ofSeconds(60)).until(() -> TestKafka.committed(group, source).equals(Map.of(0, 1L, 1, 1L)));
        TestKafka.sendAll(List.of(record(source, 0, "[\"not an object\"]")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body(DIRTY + "stoppedAt", equalTo(source + "-0@1")));

        try (KafkaConsumer<byte[], byte[]> other = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap(), ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            other.subscribe(List.of(source));
            long deadline = System.currentTimeMillis() + 60_000;
            while (other.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
                other.pause(other.assignment());
                other.poll(Duration.ofMillis(200));
            }
            assertFalse(other.assignment().isEmpty(), "the second member got partitions");
        }
        // the service alone again, holding both partitions
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
                return d.state() == ConsumerGroupState.STABLE && d.members().size() == 1
                        && d.members().iterator().next().assignment().topicPartitions().size() == 2;
            });
        }
        TestKafka.sendAll(List.of(record(source, 1, "{\"id\":2}"), record(source, 0, "{\"id\":3}")));

        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("kwsync_records_consumed_total{service=\"ingest\"} 3.0"))
                .body(containsString("kwsync_rows_published_total 2.0")));
        assertEquals(Map.of(0, 1L, 1, 1L), TestKafka.committed(group, source));
        assertEquals(2, TestKafka.read(rowsTopic, 2, Duration.ofSeconds(10)).size());
        given().get("/q/health/ready").then().statusCode(503).body(DIRTY + "stoppedAt", equalTo(source + "-0@1"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
