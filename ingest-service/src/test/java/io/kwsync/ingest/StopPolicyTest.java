package io.kwsync.ingest;

import io.kwsync.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** KWSYNC_FAILURE_POLICY=stop (the default JSON-object mapping): the first dirty record stops the connector. */
@QuarkusTest
@TestProfile(StopPolicyTest.Profile.class)
class StopPolicyTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProfileTopicsResource.class,
                    Map.of("partitions", "1", "kwsync.failure.policy", "stop")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @ConfigProperty(name = "kwsync.source.topics")
    String source;
    @ConfigProperty(name = "kwsync.rows.topic")
    String rowsTopic;
    @ConfigProperty(name = "kwsync.error.topic")
    String errorTopic;
    @ConfigProperty(name = "kwsync.connector.name")
    String connector;

    @Test
    void firstDirtyRecordStopsWithoutReachingTheErrorTopic() {
        TestKafka.sendAll(List.of(
                StopAtDirtyRecordTest.value(source, "{\"id\":0}"),
                StopAtDirtyRecordTest.value(source, "[\"not an object\"]"),
                StopAtDirtyRecordTest.value(source, "{\"id\":2}")));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body(StopAtDirtyRecordTest.DIRTY + "stoppedAt", equalTo(source + "-0@1"))
                .body(StopAtDirtyRecordTest.DIRTY + "because", equalTo("KWSYNC_FAILURE_POLICY is stop"))
                .body(StopAtDirtyRecordTest.DIRTY + "reason", equalTo("value is not a JSON object")));
        assertEquals(1, TestKafka.read(rowsTopic, 1, Duration.ofSeconds(30)).size());
        assertEquals(0, TestKafka.read(errorTopic, 0, Duration.ofSeconds(2)).size());
        String group = "connect-" + connector;
        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.committed(group, source).getOrDefault(0, -1L) == 1L);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> TestKafka.committed(group, source).get(0) == 1L);
        given().get("/q/health/live").then().statusCode(200);
    }
}
