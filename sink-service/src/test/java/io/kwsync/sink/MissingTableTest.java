package io.kwsync.sink;

import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.testing.PrometheusText;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

/**
 * The likeliest first mistake, a destination table that does not exist: the sink says which table and what to do
 * (readiness DOWN, liveness UP), keeps the rows without giving up however long it takes, and writes them as soon as
 * the table is created, without a restart. Retries here give up after two seconds for anything else.
 */
@QuarkusTest
@WithTestResource(value = SinkTopicsResource.class, initArgs = {@ResourceArg(name = "db", value = "mariadb"),
        @ResourceArg(name = "table", value = "missing"), @ResourceArg(name = "retry", value = "fast"),
        @ResourceArg(name = "give-up", value = "2s")})
class MissingTableTest {

    private static final String DESTINATION = "checks.find { it.name == 'destination' }.data.";

    @ConfigProperty(name = "kwsync.rows.topic")
    String rowsTopic;
    @ConfigProperty(name = "kwsync.jdbc.url", defaultValue = "unset") // unset in the other tests' services
    String url;
    @ConfigProperty(name = "test.table", defaultValue = "unset")
    String table;

    @Test
    void theSinkSaysWhichTableIsMissingAndGoesOnByItselfOnceItExists() {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (long i = 0; i < 5; i++) {
            RowEvent r = new RowEvent(new Origin("src-missing", 0, i, 1_700_000_000_000L, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    List.of()), Destination.table(table), Map.of("id", i, "name", "p" + i));
            records.add(new ProducerRecord<>(rowsTopic, 0, null, RowEventCodec.encode(r)));
        }
        TestKafka.sendAll(records);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body(DESTINATION + "lastWriteError", allOf(startsWith("destination table " + table + " does not exist in database kwsync"),
                        containsString("KWSYNC_JDBC_AUTO_CREATE_TABLE=true"))));
        // well past the two seconds after which any other failure gives up
        await().atMost(Duration.ofSeconds(60)).until(() ->
                PrometheusText.value(given().get("/q/metrics").asString(), "kwsync_write_retries_total", "") >= 8);
        given().get("/q/health/live").then().statusCode(200);

        TestDatabases.execute(url, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(10))");
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabases.count(url, table) == 5);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        given().get("/q/health/live").then().statusCode(200);
    }
}
