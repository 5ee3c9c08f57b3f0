package io.kwsync.sink;

import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** KWSYNC_FAILURE_POLICY=stop: a row the table refuses stops the sink; nothing of its batch is written or committed. */
@QuarkusTest
@WithTestResource(value = SinkTopicsResource.class, initArgs = {@ResourceArg(name = "db", value = "mariadb"),
        @ResourceArg(name = "policy", value = "stop")})
class SinkStopPolicyTest {

    private static final String DESTINATION = "checks.find { it.name == 'destination' }.data.";

    @ConfigProperty(name = "kwsync.rows.topic")
    String rowsTopic;
    @ConfigProperty(name = "kwsync.error.topic")
    String errorTopic;
    @ConfigProperty(name = "kwsync.connector.name")
    String connector;
    @ConfigProperty(name = "kwsync.jdbc.url", defaultValue = "unset") // unset in the other tests' services
    String url;
    @ConfigProperty(name = "test.table", defaultValue = "unset")
    String table;

    private ProducerRecord<byte[], byte[]> row(long offset, Map<String, Object> columns) {
        RowEvent r = new RowEvent(new Origin("src-stop", 0, offset, 1_700_000_000_000L,
                ("k" + offset).getBytes(StandardCharsets.UTF_8), List.of()), Destination.table(table), columns);
        return new ProducerRecord<>(rowsTopic, 0, null, RowEventCodec.encode(r));
    }

    private static Map<String, Object> person(long id, boolean named) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        if (named) c.put("name", "p" + id);
        return c;
    }

    @Test
    void aRefusedRowStopsTheSinkAndNothingOfItsBatchIsCommitted() {
        TestKafka.sendAll(List.of(row(0, person(1, true)), row(1, person(2, false)), row(2, person(3, true))));

        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 503);
        given().get("/q/health/ready").then()
                .body(DESTINATION + "stoppedAt", equalTo("src-stop-0@1"))
                .body(DESTINATION + "because", equalTo("KWSYNC_FAILURE_POLICY is stop"))
                .body(DESTINATION + "reason", containsString("no value for NOT NULL column name"));
        given().get("/q/health/live").then().statusCode(200);
        assertEquals(0, TestDatabases.count(url, table + " WHERE id IN (2, 3)"), "the refused row and later ones are not written");
        assertEquals(0, TestKafka.read(errorTopic, 0, Duration.ofSeconds(2)).size(), "nothing goes to the error topic");
        long committed = TestKafka.committed("kwsync-sink-" + connector, rowsTopic).getOrDefault(0, 0L);
        assertEquals(true, committed <= 1, "the consumer offset stays at or before the refused row: " + committed);
    }
}
