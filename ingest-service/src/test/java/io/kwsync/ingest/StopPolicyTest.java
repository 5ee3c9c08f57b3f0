package io.kwsync.ingest;

import io.kwsync.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
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
class StopPolicyTest extends IsolatedIngest {

    public static class Profile extends IsolatedIngest.Profile {
        @Override
        Map<String, String> settings() {
            return Map.of("partitions", "1", "kwsync.failure.policy", "stop");
        }
    }


    @Test
    void firstDirtyRecordStopsWithoutReachingTheErrorTopic() {
        TestKafka.sendAll(List.of(
                StopAtDirtyRecordTest.value(source, "{\"id\":0}"),
                StopAtDirtyRecordTest.value(source, "[\"not an object\"]"),
                StopAtDirtyRecordTest.value(source, "{\"id\":2}")));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body(DIRTY + "stoppedAt", equalTo(source + "-0@1"))
                .body(DIRTY + "because", equalTo("KWSYNC_FAILURE_POLICY is stop"))
                .body(DIRTY + "reason", equalTo("value is not a JSON object")));
        assertEquals(1, TestKafka.read(rowsTopic, 1, Duration.ofSeconds(30)).size());
        assertEquals(0, TestKafka.read(errorTopic, 0, Duration.ofSeconds(2)).size());
        StopAtDirtyRecordTest.assertCommittedStaysAt(connector, source, 1L);
        given().get("/q/health/live").then().statusCode(200);
    }
}
